/// `AssumeRole` into a role, usually in another account.
public struct AssumeRoleRequest: Sendable, Equatable {
    public var roleArn: String
    /// Appears in the target's CloudTrail as the session name; 2–64 characters of `[\w+=,.@-]`.
    public var roleSessionName: String
    /// The shared secret the role's trust policy may require (confused-deputy protection).
    public var externalId: String?
    /// 900 s up to the role's maximum session duration (default 3600).
    public var durationSeconds: Int?
    /// Recorded in CloudTrail and kept across role chaining; cannot be changed once set.
    public var sourceIdentity: String?
    /// Session tags.
    public var tags: [String: String]?
    /// Session tags that persist through role chaining.
    public var transitiveTagKeys: [String]?
    /// An inline session policy (JSON) that narrows the role's permissions.
    public var policy: String?

    public init(
        roleArn: String, roleSessionName: String, externalId: String? = nil, durationSeconds: Int? = nil,
        sourceIdentity: String? = nil, tags: [String: String]? = nil, transitiveTagKeys: [String]? = nil,
        policy: String? = nil
    ) {
        self.roleArn = roleArn
        self.roleSessionName = roleSessionName
        self.externalId = externalId
        self.durationSeconds = durationSeconds
        self.sourceIdentity = sourceIdentity
        self.tags = tags
        self.transitiveTagKeys = transitiveTagKeys
        self.policy = policy
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("RoleArn", roleArn)
        p.add("RoleSessionName", roleSessionName)
        p.add("Policy", policy)
        p.add("DurationSeconds", durationSeconds)
        p.addTags("Tags", tags, member: "member")
        p.addList("TransitiveTagKeys", transitiveTagKeys)
        p.add("ExternalId", externalId)
        p.add("SourceIdentity", sourceIdentity)
        return p
    }
}
