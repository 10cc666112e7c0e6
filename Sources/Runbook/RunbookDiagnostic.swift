/// One problem in a runbook, located, with a stable code and a hint a tired operator can act on.
public struct RunbookDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }

    /// Stable, for tools and tests: `unknown-step-type`, `bad-duration`, `duplicate-id`,
    /// `undeclared-account`, `missing-key`, `unknown-key`, `wrong-type`, `yaml-syntax`, …
    public var code: String
    public var severity: Severity
    public var message: String
    public var hint: String?
    public var location: SourceLocation

    public init(
        code: String, severity: Severity = .error, message: String, hint: String? = nil,
        location: SourceLocation
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.hint = hint
        self.location = location
    }

    /// `file:line:column: error: message (hint: …)`, the shape compilers use, so editors link it.
    public var description: String {
        var text = "\(location): \(severity.rawValue): \(message)"
        if let hint { text += " (hint: \(hint))" }
        return text
    }
}

/// Every problem found while loading or planning, reported together.
public struct RunbookDiagnostics: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [RunbookDiagnostic]

    public init(_ diagnostics: [RunbookDiagnostic]) { self.diagnostics = diagnostics }

    public var errors: [RunbookDiagnostic] { diagnostics.filter { $0.severity == .error } }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
