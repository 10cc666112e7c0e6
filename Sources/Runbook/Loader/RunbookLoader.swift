import Foundation

/// Reads a runbook file into a `Runbook`, reporting every problem at once, each with file, line,
/// column, a stable code and a hint that says what to write instead.
public struct RunbookLoader: Sendable {
    public var catalog: StepCatalog

    public init(catalog: StepCatalog) { self.catalog = catalog }

    /// Loads the runbook at `path` (as given; messages and the plan name it the same way).
    public func load(file path: String) throws(RunbookDiagnostics) -> Runbook {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            var sink = DiagnosticSink(file: path)
            sink.report(
                "unreadable-file", "cannot read the runbook file (\(error.localizedDescription))",
                hint: "check the path and that the file is UTF-8 text readable by this user",
                at: SourceLocation(file: path, line: 1, column: 1))
            throw RunbookDiagnostics(sink.sorted)
        }
        return try load(text: text, file: path)
    }

    /// Loads runbook `text`; `file` is used in every location and message.
    public func load(text: String, file: String) throws(RunbookDiagnostics) -> Runbook {
        let document = try YAMLDocument(text: text, file: file)
        var parser = RunbookParser(file: file)
        guard let root = document.root else {
            parser.sink.report(
                "missing-key", "the runbook is empty",
                hint: "start with `apiVersion: cutover/v1`, then `name:`, `region:` and `steps:`",
                at: SourceLocation(file: file, line: 1, column: 1))
            throw RunbookDiagnostics(parser.sink.sorted)
        }
        let sections = parser.parse(root)
        let runbook = Runbook(
            apiVersion: sections.apiVersion, name: sections.name, description: sections.description,
            region: sections.region, accounts: sections.accounts, window: sections.window,
            approvals: sections.approvals, parameters: sections.parameters, steps: sections.steps, file: file,
            sourceHash: SHA256Hex.digest(text), source: text, guardSpec: sections.guardSpec)
        var sink = parser.sink
        RunbookValidator(catalog: catalog, parser: parser, runbook: runbook).validate(into: &sink)
        try sink.throwIfErrors()
        return runbook
    }
}
