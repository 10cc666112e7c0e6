/// `CreateKey`: a symmetric customer managed key with its key policy and tags. KMS has no
/// idempotency token for it, so a caller that must not create two keys tags the key and looks for
/// the tag (`listKeys` + `listResourceTags`) before creating again.
public struct CreateKeyRequest: Sendable, Equatable, Encodable {
    public var description: String?
    /// The key policy JSON; KMS's default policy (the account's root may do everything) when nil.
    public var policy: String?
    public var tags: [String: String]

    public init(description: String? = nil, policy: String? = nil, tags: [String: String] = [:]) {
        self.description = description
        self.policy = policy
        self.tags = tags
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(policy, forKey: .policy)
        if !tags.isEmpty {
            try c.encode(tags.sorted { $0.key < $1.key }.map { KMSTag(key: $0.key, value: $0.value) }, forKey: .tags)
        }
    }

    enum CodingKeys: String, CodingKey {
        case description = "Description", policy = "Policy", tags = "Tags"
    }
}

/// A KMS tag on the wire: `{"TagKey": …, "TagValue": …}`.
struct KMSTag: Codable, Sendable {
    var key: String
    var value: String

    enum CodingKeys: String, CodingKey {
        case key = "TagKey", value = "TagValue"
    }
}
