import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// One finished `cutoverctl` run.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the real, built `cutoverctl` as a child process: plain output (NO_COLOR), no inherited
/// socket or state directory, stdin from /dev/null unless given.
enum CLIProcess {
    static func binary() throws -> String { try BuiltProducts.executable("cutoverctl").path }

    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, executable: String? = nil,
        prefix: [String] = []
    ) throws -> CLIResult {
        let command = prefix + [try executable ?? binary()] + arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["CUTOVER_SOCKET"] = nil
        env["CUTOVER_STATE_DIRECTORY"] = nil
        process.environment = env.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        // Read both pipes concurrently: a full stderr pipe must not block the child.
        let errorData = ErrorCollector(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData.wait(), as: UTF8.self))
    }

    /// A temporary directory everyone may traverse (for tests that run as `nobody`).
    static func temporaryDirectory() throws -> URL {
        let url = URL(fileURLWithPath: "/tmp").appendingPathComponent("cutoverctl-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        chmod(url.path, 0o755)
        return url
    }

    /// A repository file, e.g. `Runbooks/examples/engine-demo.yaml`.
    static func repositoryFile(_ relative: String) -> String {
        BuiltProducts.packageRoot.appendingPathComponent(relative).path
    }
}

/// Reads a pipe to its end on another thread.
private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
