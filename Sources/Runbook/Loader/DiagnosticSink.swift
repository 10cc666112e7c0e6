/// Collects every problem found in one runbook file so that all of them are reported together.
/// Each message names the file, so a message copied out of a terminal still says where it came from.
struct DiagnosticSink {
    let file: String
    private(set) var diagnostics: [RunbookDiagnostic] = []

    init(file: String) { self.file = file }

    var fileName: String { file.split(separator: "/").last.map(String.init) ?? file }
    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    mutating func report(
        _ code: String, _ message: String, hint: String? = nil, at location: SourceLocation,
        severity: RunbookDiagnostic.Severity = .error
    ) {
        diagnostics.append(
            RunbookDiagnostic(
                code: code, severity: severity, message: "\(message) in \(fileName)", hint: hint,
                location: location))
    }

    mutating func append(_ more: [RunbookDiagnostic]) {
        for diagnostic in more
        where !diagnostics.contains(where: {
            $0.code == diagnostic.code && $0.location == diagnostic.location && $0.message == diagnostic.message
        }) {
            diagnostics.append(diagnostic)
        }
    }

    /// Sorted by position, as an editor lists them.
    var sorted: [RunbookDiagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (la, lb) = (a.element.location, b.element.location)
            if la.line != lb.line { return la.line < lb.line }
            if la.column != lb.column { return la.column < lb.column }
            return a.offset < b.offset
        }.map(\.element)
    }

    func throwIfErrors() throws(RunbookDiagnostics) {
        if hasErrors { throw RunbookDiagnostics(sorted) }
    }
}
