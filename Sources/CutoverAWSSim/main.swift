// cutover-aws-sim: serves the AWS simulator (S3, RDS, STS, KMS, EC2 lookups) on a loopback port.
import AWSSimulator
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Taken first: without --time-anchor, scaled simulated time counts from here.
let processStart = Date()
let arguments: SimCommandLine
do {
    arguments = try SimCommandLine(CommandLine.arguments.dropFirst())
} catch {
    FileHandle.standardError.write(Data("cutover-aws-sim: \(error)\nRun cutover-aws-sim --help for the options.\n".utf8))
    exit(64)  // EX_USAGE
}
if arguments.help {
    print(SimCommandLine.help)
    exit(0)
}

let simulator = Simulator(
    configuration: SimConfiguration(
        region: arguments.region, bucketNameHold: arguments.nameHold, seed: arguments.seed,
        defaultSessionDuration: arguments.sessionDuration),
    clock: arguments.clock(processStart: processStart), forwarding: arguments.forwarding)
if let rate = arguments.batchJobRate {
    var timings = simulator.batchTimings
    timings.tasksPerSecond = rate
    simulator.setBatchTimings(timings)
}
if let seedFile = arguments.seedFile {
    do {
        let applied = try SimSeedFile.apply(seedFile, to: simulator)
        FileHandle.standardError.write(Data("cutover-aws-sim: seeded from \(seedFile): \(applied.summary)\n".utf8))
    } catch {
        FileHandle.standardError.write(Data("cutover-aws-sim: \(error)\n".utf8))
        exit(65)  // EX_DATAERR
    }
}
var serverConfiguration = SimServerConfiguration(port: arguments.port)
if arguments.log {
    let stderrLock = NSLock()
    serverConfiguration.accessLog = { entry in
        let line = Data((entry.line + "\n").utf8)
        stderrLock.withLock { FileHandle.standardError.write(line) }
    }
}
let server = SimulatorServer(simulator: simulator, configuration: serverConfiguration)

let watcher = SignalWatcher()

do {
    try await server.start()
} catch {
    FileHandle.standardError.write(Data("cutover-aws-sim: \(error)\n".utf8))
    exit(1)
}
let port = server.port ?? 0
if let portFile = arguments.portFile {
    do {
        // Written whole, then renamed, so a script polling for the file never reads half a port.
        let temporary = portFile + ".tmp"
        try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, portFile) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    } catch {
        FileHandle.standardError.write(Data("cutover-aws-sim: cannot write the port file \(portFile): \(error)\n".utf8))
        await server.stop()
        exit(1)
    }
}
// Unbuffered, so a script reading a pipe sees the line at once.
FileHandle.standardOutput.write(
    Data(
        ("cutover-aws-sim listening on http://127.0.0.1:\(port) (region \(arguments.region), \(arguments.clockDescription), seed \(arguments.seed))"
            + (arguments.forwarding.map { "; forwarding \($0.services.sorted().joined(separator: ",")) to 127.0.0.1:\($0.port)" } ?? "")
            + "\n").utf8))

for await number in watcher.signals {
    FileHandle.standardError.write(Data("cutover-aws-sim: \(SignalWatcher.name(number)), stopping\n".utf8))
    break
}
await server.stop()
if let portFile = arguments.portFile { try? FileManager.default.removeItem(atPath: portFile) }
exit(0)
