import ArgumentParser
import Foundation

/// A runbook file and the `--param NAME=VALUE` values for its parameters.
struct RunbookArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The runbook (YAML).", valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var file: String

    @Option(
        name: .customLong("param"),
        help: ArgumentHelp("A runbook parameter; repeat for several.", valueName: "name=value"))
    var params: [String] = []

    func validate() throws {
        _ = try parameters()
    }

    /// `--param` values by name; a later value for the same name wins.
    func parameters() throws(ValidationError) -> [String: String] {
        var values: [String: String] = [:]
        for param in params {
            guard let equals = param.firstIndex(of: "="), equals != param.startIndex else {
                throw ValidationError("--param \(param) is not NAME=VALUE (e.g. --param settle=30s)")
            }
            values[String(param[..<equals])] = String(param[param.index(after: equals)...])
        }
        return values
    }

    /// The runbook's text, as the daemon must see it.
    func text() throws(CLIFailure) -> String {
        guard FileManager.default.fileExists(atPath: file) else {
            throw CLIFailure(.notFound, "no runbook at \(file)")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIFailure(.notAuthorized, "cannot read \(file): check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure(.failed, "\(file) is not UTF-8 text")
        }
        return text
    }
}
