import Foundation
import Runbook
import Yams

/// Reads `cutoverd.yaml` into a `DaemonConfig`, reporting every problem at once, each with the
/// file, line and column of the key or value at fault:
///
///     cutoverd.yaml:12:5: error: unknown key 'sokcet' (did you mean 'socket'?)
///
/// Every key is optional and defaults as `DaemonConfig()` (and `config/cutoverd.yaml`) shows.
/// String values may use `${CREDENTIALS_DIRECTORY}`, `${STATE_DIRECTORY}` and
/// `${RUNTIME_DIRECTORY}`, expanded from the injected environment (systemd sets them for the
/// unit's `LoadCredential=`, `StateDirectory=` and `RuntimeDirectory=`).
public struct DaemonConfigLoader: Sendable {
    /// Where `${…}` in values comes from; the process environment unless a test injects one.
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Loads the file at `path` (named as given in every message).
    ///
    /// - Parameter optional: when true a file that does not exist means "all defaults" (a daemon
    ///   started without `--config`); when false it is an error. A file that exists but cannot be
    ///   read is an error either way.
    public func load(file path: String, optional: Bool = false) throws(ConfigDiagnostics) -> DaemonConfig {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard FileManager.default.fileExists(atPath: path) else {
            if optional { return DaemonConfig() }
            throw ConfigDiagnostics([
                ConfigDiagnostic(
                    code: "missing-file", message: "the configuration file does not exist",
                    hint: "create it (config/cutoverd.yaml documents every key and its default) or point --config at it",
                    location: start)
            ])
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigDiagnostics([
                ConfigDiagnostic(
                    code: "unreadable-file", message: "cannot read the configuration file (\(error.localizedDescription))",
                    hint: "check that it is UTF-8 text readable by the daemon's user", location: start)
            ])
        }
        return try load(text: text, file: path)
    }

    /// Loads configuration `text`; `file` is used in every location.
    public func load(text: String, file: String) throws(ConfigDiagnostics) -> DaemonConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigDiagnostics([Self.diagnostic(for: error, file: file)])
        } catch {
            throw ConfigDiagnostics([
                ConfigDiagnostic(
                    code: "yaml-syntax", message: "cannot read the YAML (\(error))",
                    location: SourceLocation(file: file, line: 1, column: 1))
            ])
        }
        guard let root else { return DaemonConfig() }  // an empty file: every default
        var parser = ConfigParser(file: file, environment: environment)
        let config = parser.parse(root)
        let problems = parser.reader.sorted
        guard problems.isEmpty else { throw ConfigDiagnostics(problems) }
        return config
    }

    private static func diagnostic(for error: YamlError, file: String) -> ConfigDiagnostic {
        let problem = YAMLSyntaxProblem(error, file: file, quote: "'")
        return ConfigDiagnostic(code: problem.code, message: problem.message, hint: problem.hint, location: problem.location)
    }
}
