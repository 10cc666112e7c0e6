/// Why no credentials came from a source, or from the whole chain.
///
/// `code` is stable (match on it, alert on it); `message` says what was wrong and what to do about
/// it; `tried` lists, for the chain, every source it looked at and why each gave nothing. No error
/// ever carries a secret: messages name variables, files and endpoints, never their values'
/// secret parts.
public struct CredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// This source is not set up here (no variables, no profile, no endpoint). The chain moves
        /// on to the next source.
        public static let notConfigured = Code("NotConfigured")
        /// The source was switched off on purpose (`AWS_EC2_METADATA_DISABLED=true`). The chain
        /// moves on.
        public static let disabled = Code("Disabled")
        /// Half a credential: a key ID without its secret, or the reverse.
        public static let partialCredentials = Code("PartialCredentials")
        /// The configuration is contradictory or incomplete (`role_arn` without a source, an
        /// unknown `credential_source`, a container URI on a host that is not allowed, …).
        public static let invalidConfiguration = Code("InvalidConfiguration")
        /// An explicitly selected profile does not exist in either shared file.
        public static let profileNotFound = Code("ProfileNotFound")
        /// A shared config or credentials file could not be parsed; the message names file:line.
        public static let configFileSyntax = Code("ConfigFileSyntax")
        /// `source_profile` references loop back on themselves.
        public static let sourceProfileCycle = Code("SourceProfileCycle")
        /// A token file (web identity, container authorization) could not be read.
        public static let tokenFileUnreadable = Code("TokenFileUnreadable")
        /// An authorization token contains CR or LF and would split the HTTP header.
        public static let invalidToken = Code("InvalidToken")
        /// No complete HTTP response from a credentials endpoint (connect failure, timeout).
        public static let endpointUnreachable = Code("EndpointUnreachable")
        /// A credentials endpoint answered with a non-success status.
        public static let endpointRejected = Code("EndpointRejected")
        /// IMDSv2 refused or failed to issue a session token. There is deliberately no IMDSv1
        /// fallback.
        public static let imdsTokenFailed = Code("IMDSTokenFailed")
        /// A credentials endpoint answered 200 with a body that is not what it should be.
        public static let malformedResponse = Code("MalformedResponse")
        /// STS answered an AssumeRole or AssumeRoleWithWebIdentity call with an error.
        public static let stsError = Code("STSError")
        /// The credentials are past their expiry and no fresh ones could be fetched.
        public static let expired = Code("Expired")
        /// The default chain found no credentials anywhere; `tried` says why for each source.
        public static let noCredentials = Code("NoCredentials")
    }

    /// One source the chain tried, and why it gave nothing.
    public struct Attempt: Sendable, Equatable, CustomStringConvertible {
        public var source: String
        public var code: Code
        public var reason: String
        public init(source: String, code: Code, reason: String) {
            self.source = source
            self.code = code
            self.reason = reason
        }
        public var description: String { "\(source): \(reason)" }
    }

    public var code: Code
    /// The source that failed: `environment`, `profile 'prod'`, `web identity`, `container`,
    /// `IMDS`, `AssumeRole arn:…`, or `credential chain`.
    public var source: String
    /// What went wrong and, where it is not obvious, what to do.
    public var message: String
    /// For chain errors: the sources tried before (and including) the one that ended the search.
    public var tried: [Attempt]
    /// The AWS request ID, when STS answered.
    public var requestId: String?

    public init(code: Code, source: String, message: String, tried: [Attempt] = [], requestId: String? = nil) {
        self.code = code
        self.source = source
        self.message = message
        self.tried = tried
        self.requestId = requestId
    }

    /// True when the source simply does not apply here, so a chain should try the next one.
    public var isNotApplicable: Bool { code == .notConfigured || code == .disabled }

    public var description: String {
        var text = "\(source): \(message) [\(code)"
        if let requestId { text += ", request ID \(requestId)" }
        text += "]"
        if !tried.isEmpty {
            text += "; tried in order: " + tried.map(\.description).joined(separator: "; ")
        }
        return text
    }
}
