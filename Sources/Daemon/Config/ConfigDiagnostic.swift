import Runbook

/// One problem in cutoverd's configuration file, located at the key or value that causes it, with a
/// stable code and, where there is one, a hint that says what to write instead.
public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Stable, for tools and tests: `unknown-key`, `wrong-type`, `bad-value`, `bad-duration`,
    /// `bad-url`, `missing-key`, `unset-variable`, `unknown-variable`, `clock-needs-loopback`,
    /// `yaml-syntax`, `duplicate-key`, `missing-file`, `unreadable-file`.
    public var code: String
    public var message: String
    public var hint: String?
    public var location: SourceLocation

    public init(code: String, message: String, hint: String? = nil, location: SourceLocation) {
        self.code = code
        self.message = message
        self.hint = hint
        self.location = location
    }

    /// `cutoverd.yaml:12:5: error: unknown key 'sokcet' (did you mean 'socket'?)` — the shape
    /// compilers use, so editors and terminals link it to the line.
    public var description: String {
        var text = "\(location): error: \(message)"
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// Every problem found in a configuration file, reported together so one edit fixes them all.
public struct ConfigDiagnostics: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(_ diagnostics: [ConfigDiagnostic]) { self.diagnostics = diagnostics }

    /// One diagnostic per line, in file order.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
