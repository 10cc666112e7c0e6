// cutoverd: the cutover daemon. Everything is in the Daemon module; this only wires the process.
import Daemon
import Foundation
import Logging
import Metrics

#if canImport(Glibc)
    import Glibc
#endif

let environment = ProcessInfo.processInfo.environment

let options: DaemonOptions
do {
    options = try DaemonOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("cutoverd: \(error.message)\n".utf8))
    exit(error.kind.rawValue)
}
if options.help {
    print(DaemonOptions.usage)
    exit(0)
}
if options.version {
    print("cutoverd \(CutoverDaemon.version)")
    exit(0)
}

let config: DaemonConfig
do {
    config = try CutoverDaemon.loadConfig(options, environment: environment)
} catch {
    FileHandle.standardError.write(Data("<3>\(error.message)\n".utf8))
    exit(error.kind.rawValue)
}
if options.checkConfig {
    print("\(options.configFile ?? DaemonOptions.defaultConfigFile): configuration is valid")
    exit(0)
}

let log = DaemonLog(level: DaemonLog.Level(name: config.logLevel) ?? .info)
// Every library logger (`cutover.aws`, `cutover.engine`) writes journald lines at the daemon's level.
LoggingSystem.bootstrap { [log] label in log.makeHandler(label: label) }
let daemon = CutoverDaemon(options: options, config: config, environment: environment, log: log)
// The AWS client's call latencies and the engine's step durations, served on `/metrics`.
MetricsSystem.bootstrap(DaemonMetricsFactory(daemon.metrics))
exit(await daemon.run())
