import Foundation

/// Accounts, users' long-term access keys, roles and the session credentials STS has issued: the
/// simulator's credential store. `SimAuthenticator` resolves every request's access key here and
/// `STSService` adds sessions.
///
/// Identity policies are not modelled: every user and session may call every API in its own
/// account (cross-account access is decided by the services: role trust, bucket and key
/// policies, snapshot sharing). IDs, keys and tokens come from a fixed-seed generator, so the same
/// seeding in the same order gives the same keys in every run.
public struct IAMState: Sendable {
    /// An AWS account: a 12-digit ID and a name for humans (logs, the demo).
    public struct Account: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
    }

    /// An IAM user.
    public struct User: Sendable, Equatable, Codable {
        public var account: String
        public var name: String
        /// `AIDA…`, what GetCallerIdentity answers as `UserId`.
        public var userId: String
        public var arn: String
    }

    /// An IAM role and the part of its trust policy the simulator evaluates.
    public struct Role: Sendable, Equatable, Codable {
        public var account: String
        public var name: String
        /// `AROA…`; an assumed-role session's user ID is `roleId:sessionName`.
        public var roleId: String
        public var arn: String
        /// Who may assume the role: account IDs (`123456789012` or `arn:aws:iam::123456789012:root`,
        /// meaning any principal of that account), user or role ARNs (a role ARN admits its
        /// sessions), `*`, or AWS service principals (`batchoperations.s3.amazonaws.com`).
        public var trustedPrincipals: [String]
        /// When set, AssumeRole must pass exactly this `ExternalId` (the trust policy's
        /// `sts:ExternalId` condition).
        public var externalId: String?
        /// Seconds, 3600…43200 (IAM `MaxSessionDuration`).
        public var maxSessionDuration: Int
    }

    /// A session tag (AssumeRole `Tags.member.N`).
    public struct SessionTag: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Temporary credentials issued by AssumeRole (`ASIA…`).
    public struct Session: Sendable, Equatable {
        public var accessKeyId: String
        public var secretAccessKey: String
        public var sessionToken: String
        public var expiration: Date
        /// The assumed role's account: requests made with the session act in it.
        public var account: String
        public var roleArn: String
        public var roleName: String
        public var roleId: String
        public var sessionName: String
        /// True when the caller of AssumeRole was itself an assumed-role session (role chaining,
        /// which caps the session at one hour).
        public var chained: Bool
        public var sourceIdentity: String?
        /// Session tags passed to AssumeRole, in order.
        public var tags: [SessionTag]

        /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
        public var assumedRoleArn: String { "arn:aws:sts::\(account):assumed-role/\(roleName)/\(sessionName)" }
        /// `AROA…:SESSION`.
        public var assumedRoleId: String { "\(roleId):\(sessionName)" }
    }

    /// By account ID.
    public private(set) var accounts: [String: Account] = [:]
    /// By user ARN.
    public private(set) var users: [String: User] = [:]
    /// Long-term keys by access key ID.
    public private(set) var accessKeys: [String: SimAccessKey] = [:]
    /// By role ARN.
    public private(set) var roles: [String: Role] = [:]
    /// Issued sessions by access key ID, kept after expiry so a late request gets `ExpiredToken`
    /// rather than "unknown key".
    public private(set) var sessions: [String: Session] = [:]

    private var random = SimRandom(seed: 0x1A3_5EED)

    public init() {}

    // MARK: - Seeding

    /// Adds an account. Throws `InvalidAccountId` unless `id` is 12 digits, `EntityAlreadyExists`
    /// when it exists.
    public mutating func addAccount(id: String, name: String) throws(SimError) {
        guard Self.isAccountId(id) else {
            throw SimError("InvalidAccountId", "Account IDs are 12 digits; got '\(id)'.", status: 400)
        }
        guard accounts[id] == nil else {
            throw SimError("EntityAlreadyExists", "Account \(id) already exists.", status: 409)
        }
        accounts[id] = Account(id: id, name: name)
    }

    /// Adds a user with one access key: the given one, or a generated `AKIA…` key and secret.
    public mutating func addUser(
        account: String, name: String, accessKeyId: String? = nil, secretAccessKey: String? = nil
    )
        throws(SimError) -> SimAccessKey
    {
        try requireAccount(account)
        guard Self.isIAMName(name) else {
            throw SimError(
                "ValidationError", "User names are 1-64 characters of [\\w+=,.@-]; got '\(name)'.", status: 400)
        }
        let arn = "arn:aws:iam::\(account):user/\(name)"
        guard users[arn] == nil else {
            throw SimError(
                "EntityAlreadyExists", "User with name \(name) already exists in account \(account).", status: 409)
        }
        let keyId = accessKeyId ?? generatedKeyId(prefix: "AKIA")
        guard keyId.count >= 16, keyId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw SimError(
                "ValidationError", "Access key IDs are at least 16 ASCII letters and digits; got '\(keyId)'.",
                status: 400)
        }
        guard accessKeys[keyId] == nil, sessions[keyId] == nil else {
            throw SimError("EntityAlreadyExists", "Access key \(keyId) is already in use.", status: 409)
        }
        let secret = secretAccessKey ?? generatedSecret()
        guard !secret.isEmpty else {
            throw SimError("ValidationError", "The secret access key of user \(name) must not be empty.", status: 400)
        }
        users[arn] = User(account: account, name: name, userId: generatedId(prefix: "AIDA"), arn: arn)
        let key = SimAccessKey(accessKeyId: keyId, secretAccessKey: secret, account: account, userName: name)
        accessKeys[keyId] = key
        return key
    }

    /// Adds a role and returns its ARN.
    public mutating func addRole(
        account: String, name: String, trustedPrincipals: [String], externalId: String? = nil,
        maxSessionDuration: Int = 3600
    ) throws(SimError) -> String {
        try requireAccount(account)
        guard Self.isIAMName(name) else {
            throw SimError(
                "ValidationError", "Role names are 1-64 characters of [\\w+=,.@-]; got '\(name)'.", status: 400)
        }
        guard (3600...43200).contains(maxSessionDuration) else {
            throw SimError(
                "ValidationError",
                "MaxSessionDuration must be between 3600 and 43200 seconds; got \(maxSessionDuration).",
                status: 400)
        }
        for principal in trustedPrincipals where !Self.isPrincipal(principal) {
            throw SimError(
                "MalformedPolicyDocument",
                "Invalid principal in the trust of role \(name): '\(principal)' (use an account ID, an IAM user or role ARN, or *).",
                status: 400)
        }
        if let externalId, !STSValidation.isExternalId(externalId) {
            throw SimError("ValidationError", "ExternalId must be 2-1224 characters of [\\w+=,.@:/-].", status: 400)
        }
        let arn = "arn:aws:iam::\(account):role/\(name)"
        guard roles[arn] == nil else {
            throw SimError(
                "EntityAlreadyExists", "Role with name \(name) already exists in account \(account).", status: 409)
        }
        roles[arn] = Role(
            account: account, name: name, roleId: generatedId(prefix: "AROA"), arn: arn,
            trustedPrincipals: trustedPrincipals,
            externalId: externalId, maxSessionDuration: maxSessionDuration)
        return arn
    }

    /// Issues session credentials for `role`, valid `duration` seconds from `now`.
    public mutating func issueSession(
        role: Role, sessionName: String, duration: Int, now: Date, chained: Bool, sourceIdentity: String?,
        tags: [SessionTag]
    ) -> Session {
        var keyId = generatedKeyId(prefix: "ASIA")
        while accessKeys[keyId] != nil || sessions[keyId] != nil { keyId = generatedKeyId(prefix: "ASIA") }
        let session = Session(
            accessKeyId: keyId, secretAccessKey: generatedSecret(), sessionToken: generatedToken(),
            expiration: now.addingTimeInterval(TimeInterval(duration)), account: role.account, roleArn: role.arn,
            roleName: role.name, roleId: role.roleId, sessionName: sessionName, chained: chained,
            sourceIdentity: sourceIdentity, tags: tags)
        sessions[keyId] = session
        return session
    }

    // MARK: - Lookup

    /// Who a request signed with `accessKeyId` acts as, and the secret (and, for sessions, the
    /// token and expiry) its signature must be checked against.
    public func credential(
        forAccessKey accessKeyId: String
    ) -> (
        principal: SimPrincipal, secret: String, session: Session?
    )? {
        if let key = accessKeys[accessKeyId] {
            let arn = "arn:aws:iam::\(key.account):user/\(key.userName)"
            let userId = users[arn]?.userId ?? key.accessKeyId
            return (
                SimPrincipal(account: key.account, arn: arn, userId: userId, accessKeyId: accessKeyId),
                key.secretAccessKey, nil
            )
        }
        if let session = sessions[accessKeyId] {
            let principal = SimPrincipal(
                account: session.account, arn: session.assumedRoleArn, userId: session.assumedRoleId,
                accessKeyId: accessKeyId)
            return (principal, session.secretAccessKey, session)
        }
        return nil
    }

    /// True when `principal` is admitted by `role`'s trust.
    public func trusts(_ role: Role, _ principal: SimPrincipal) -> Bool {
        // A session is trusted through its role's ARN, as a trust policy naming a role admits the
        // role's sessions.
        let roleOfSession = sessions[principal.accessKeyId]?.roleArn
        return role.trustedPrincipals.contains { entry in
            entry == "*" || entry == principal.account || entry == "arn:aws:iam::\(principal.account):root"
                || entry == principal.arn || (roleOfSession != nil && entry == roleOfSession)
        }
    }

    // MARK: - Validation and generation

    private func requireAccount(_ id: String) throws(SimError) {
        guard accounts[id] != nil else {
            throw SimError(
                "NoSuchEntity", "Account \(id) does not exist; add it with addAccount(id:name:) first.", status: 404)
        }
    }

    static func isAccountId(_ s: String) -> Bool {
        s.utf8.count == 12 && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func isIAMName(_ s: String) -> Bool {
        (1...64).contains(s.count) && s.allSatisfy(STSValidation.isNameCharacter)
    }

    static func isPrincipal(_ s: String) -> Bool {
        if s == "*" || isAccountId(s) { return true }
        // An AWS service principal (`batchoperations.s3.amazonaws.com`): never matches a caller of
        // AssumeRole, but S3 Control checks a job's role trusts it (BO-9).
        if s.hasSuffix(".amazonaws.com"), s.utf8.allSatisfy({ $0 == 46 || $0 == 45 || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }) {
            return true
        }
        let parts = s.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1] == "aws", isAccountId(String(parts[4])) else {
            return false
        }
        switch parts[2] {
        case "iam": return parts[5] == "root" || parts[5].hasPrefix("user/") || parts[5].hasPrefix("role/")
        case "sts": return parts[5].hasPrefix("assumed-role/")
        default: return false
        }
    }

    private static let base32: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    private static let base64: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    private mutating func generated(_ count: Int, from alphabet: [Character]) -> String {
        String((0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    private mutating func generatedKeyId(prefix: String) -> String { prefix + generated(16, from: Self.base32) }
    private mutating func generatedId(prefix: String) -> String { prefix + generated(17, from: Self.base32) }
    private mutating func generatedSecret() -> String { generated(40, from: Self.base64) }
    // Real tokens are opaque base64 blobs of several hundred characters; clients must not parse them.
    private mutating func generatedToken() -> String { "IQoJb3JpZ2luX2VjE" + generated(347, from: Self.base64) + "=" }
}

extension IAMState.Session: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Names the key and the role session; never the secret or the token.
    public var description: String {
        "Session(\(accessKeyId), \(assumedRoleArn), expires \(expiration), secret and token redacted)"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyId": accessKeyId as Any, "secretAccessKey": "redacted" as Any,
                "sessionToken": "redacted" as Any,
                "expiration": expiration as Any, "roleArn": roleArn as Any, "sessionName": sessionName as Any,
                "chained": chained as Any,
            ], displayStyle: .struct)
    }
}
