import Foundation

/// cutoverd's command line (everything else is in the config file).
public struct DaemonOptions: Sendable, Equatable {
    public var configFile: String?
    public var checkConfig = false
    public var version = false
    public var help = false

    public static let defaultConfigFile = "/etc/cutover/cutoverd.yaml"

    public static let usage = """
        cutoverd: runs cross-account AWS cutovers as durable, approved, audited runbooks.

        USAGE: cutoverd [--config FILE] [--check-config]

        OPTIONS
          --config FILE    The configuration (default \(defaultConfigFile); without the option a
                           missing default file means every default). See config/cutoverd.yaml.
          --check-config   Load the configuration, print what is wrong with it, and exit (0: valid).
          --version        Print the version.
          -h, --help       Show this help.

        Started by systemd (Type=notify) for the cutover window; driven with cutoverctl.
        Signals: SIGTERM/SIGINT stop after the AWS calls in flight (the next start resumes every run);
        SIGHUP re-reads the configuration between steps.
        """

    public init(arguments: [String]) throws(DaemonStartupError) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--config":
                guard let file = rest.popFirst() else { throw DaemonStartupError(.usage, "--config needs a file") }
                configFile = file
            case _ where argument.hasPrefix("--config="): configFile = String(argument.dropFirst("--config=".count))
            case "--check-config": checkConfig = true
            case "--version": version = true
            case "-h", "--help": help = true
            default: throw DaemonStartupError(.usage, "unknown option \(argument); see cutoverd --help")
            }
        }
    }
}

/// Why cutoverd did not start, with the exit code systemd records.
public struct DaemonStartupError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Int32, Sendable {
        case usage = 64  // EX_USAGE
        case config = 78  // EX_CONFIG
        case journal = 65  // EX_DATAERR: the journal does not verify
        case unavailable = 69  // EX_UNAVAILABLE: socket, state directory, key
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
