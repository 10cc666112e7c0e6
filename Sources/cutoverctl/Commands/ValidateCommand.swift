import ArgumentParser
import Runbook
import Steps

/// `cutoverctl validate FILE…`: loads each runbook with the full step catalog, offline, and
/// reports every problem as `file:line:column: error: …` so editors and CI link to it.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check runbooks offline: syntax, step types and inputs, accounts, window, approvals.",
        discussion: """
            Every problem is printed on standard error as file:line:column: error: message (hint: …), \
            the form compilers use, so editors and CI annotate the line. Exits 1 if any file has an error.
            """)

    @Argument(help: ArgumentHelp("Runbook files (YAML).", valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var files: [String]

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one runbook file") }
    }

    struct FileResult: Encodable {
        var file: String
        var valid: Bool
        var name: String?
        var steps: Int?
        var diagnostics: [DiagnosticView]
    }

    struct DiagnosticView: Encodable {
        var file: String
        var line: Int
        var column: Int
        var severity: String
        var code: String
        var message: String
        var hint: String?
        init(_ diagnostic: RunbookDiagnostic) {
            file = diagnostic.location.file
            line = diagnostic.location.line
            column = diagnostic.location.column
            severity = diagnostic.severity.rawValue
            code = diagnostic.code
            message = diagnostic.message
            hint = diagnostic.hint
        }
    }

    func run() throws {
        let loader = RunbookLoader(catalog: StepLibrary.catalog)
        var results: [FileResult] = []
        for file in files {
            do {
                let runbook = try loader.load(file: file)
                results.append(
                    FileResult(file: file, valid: true, name: runbook.name, steps: runbook.allSteps.count, diagnostics: []))
            } catch {
                results.append(
                    FileResult(
                        file: file, valid: error.errors.isEmpty, name: nil, steps: nil,
                        diagnostics: error.diagnostics.map(DiagnosticView.init)))
                if !output.json {
                    // The summary follows its errors on the same stream, so on a terminal it
                    // comes last and on its own line.
                    let count = error.errors.count
                    DiagnosticPrinter.print(error.diagnostics)
                    if count > 0 { Console.error("\(file): \(Style.standardError.red("\(count) error\(count == 1 ? "" : "s")"))\n") }
                }
            }
            if !output.json, let result = results.last, result.valid {
                Console.line("\(result.file): \(Style.standardOutput.green("ok")) (\(result.name ?? "?"), \(result.steps ?? 0) steps)")
            }
        }
        if output.json {
            try Console.json(["files": results])
        }
        if results.contains(where: { !$0.valid }) { throw CLIFailure.silent(.failed) }
    }
}

/// Runbook diagnostics on standard error, `error:` in red on a terminal.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [RunbookDiagnostic]) {
        let style = Style.standardError
        var text = ""
        for diagnostic in diagnostics {
            let severity =
                diagnostic.severity == .error ? style.red("error:") : style.yellow("\(diagnostic.severity.rawValue):")
            var line = "\(diagnostic.location): \(severity) \(diagnostic.message)"
            if let hint = diagnostic.hint { line += " (hint: \(hint))" }
            text += line + "\n"
        }
        Console.error(text)
    }
}
