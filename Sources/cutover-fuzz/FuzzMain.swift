import Foundation
import FuzzTargets

#if CUTOVER_LIBFUZZER
    /// libFuzzer's callback: the target is named by `CUTOVER_FUZZ_TARGET`, read once.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
        FuzzMain.libFuzzerTarget.runBlocking(data)
        return 0
    }

    /// libFuzzer's driver (`int LLVMFuzzerRunDriver(int *, char ***, int (*)(const uint8_t *, size_t))`).
    /// SwiftPM gives every executable its own `main`, so libFuzzer's is not linked in; ours hands
    /// the command line to the driver.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif

/// `cutover-fuzz`: without libFuzzer, replays saved inputs through one fuzz target
/// (`cutover-fuzz TARGET FILE|DIR…`); built by `scripts/fuzz` with `-DCUTOVER_LIBFUZZER` and
/// `-sanitize=fuzzer`, it is the libFuzzer driver for the target in `CUTOVER_FUZZ_TARGET`.
@main
enum FuzzMain {
    static let targetNames = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")

    #if CUTOVER_LIBFUZZER
        static let libFuzzerTarget: FuzzTarget = {
            let name = ProcessInfo.processInfo.environment["CUTOVER_FUZZ_TARGET"] ?? ""
            guard let target = FuzzTarget(rawValue: name) else {
                FileHandle.standardError.write(Data("cutover-fuzz: set CUTOVER_FUZZ_TARGET to one of \(targetNames)\n".utf8))
                exit(2)
            }
            return target
        }()

        static func main() {
            _ = libFuzzerTarget
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        }
    #else
        static func main() async {
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
                FileHandle.standardError.write(
                    Data("usage: cutover-fuzz TARGET FILE|DIR…\n  replays each input once through TARGET (\(targetNames))\n".utf8))
                exit(2)
            }
            var inputs: [URL] = []
            for path in arguments.dropFirst() {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    FileHandle.standardError.write(Data("cutover-fuzz: \(path) does not exist\n".utf8))
                    exit(2)
                }
                if isDirectory.boolValue {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                    inputs += names.sorted().map { URL(fileURLWithPath: path).appendingPathComponent($0) }
                } else {
                    inputs.append(URL(fileURLWithPath: path))
                }
            }
            for input in inputs {
                guard let data = try? Data(contentsOf: input) else { continue }
                print("\(target.rawValue): \(input.path) (\(data.count) bytes)")
                await target.run(data)
            }
            print("\(target.rawValue): \(inputs.count) inputs replayed, no finding")
        }
    #endif
}
