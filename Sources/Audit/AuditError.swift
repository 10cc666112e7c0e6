/// Why an audit operation (loading a key, writing a checkpoint, reading a bundle or an anchor log)
/// could not be done. Verification findings are not errors: they are `AuditFailure`s inside an
/// `AuditVerification`, because a broken chain is a result `verify` reports, not a crash.
///
/// `code` is stable (scripts and the CLI's exit codes match on it); `message` says what happened
/// and what to do; `path` and `line` locate the input when there is one.
public struct AuditError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The key file is missing, unreadable, of the wrong form, or readable by others.
        public static let badKey = Code("BadKey")
        /// A key could not be created or stored (directory missing, permissions, disk full).
        public static let keyStorage = Code("KeyStorage")
        /// A public key given for pinning is not an Ed25519 public key in a known text form.
        public static let badPublicKey = Code("BadPublicKey")
        /// libcrypto refused an Ed25519 operation.
        public static let crypto = Code("Crypto")
        /// The journal could not be read or appended to; `message` carries the journal's error.
        public static let journal = Code("Journal")
        /// A bundle is not a Cutover audit bundle, or a line of it does not parse.
        public static let badBundle = Code("BadBundle")
        /// The checkpoint anchor log could not be read or appended to, or a line does not parse.
        public static let anchorLog = Code("AnchorLog")
        /// The run is not in the journal.
        public static let runNotFound = Code("RunNotFound")
        /// A file could not be read or written.
        public static let io = Code("IO")
    }

    public var code: Code
    public var message: String
    /// The file concerned, when there is one.
    public var path: String?
    /// The 1-based line of `path` that failed to parse, when there is one.
    public var line: Int?

    public init(_ code: Code, _ message: String, path: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
    }

    public var description: String {
        var location = ""
        if let path { location = path + (line.map { ":\($0)" } ?? "") + ": " } else if let line { location = "line \(line): " }
        return "\(location)\(message) [\(code)]"
    }
}
