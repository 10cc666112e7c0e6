import Foundation

/// What `DescribeKey` says about a key.
public struct KMSKeyMetadata: Sendable, Equatable, Decodable {
    public var keyId: String
    public var arn: String?
    /// The account that owns the key.
    public var awsAccountId: String?
    /// `AWS` for AWS managed keys such as `aws/rds`, which cannot be shared with another account:
    /// a snapshot encrypted under one cannot be shared (AWS-NOTES §5.1).
    public var keyManager: KMSKeyManager
    /// `Enabled`, `Disabled`, `PendingDeletion`, …
    public var keyState: String?
    public var enabled: Bool?
    public var description: String?
    public var keyUsage: String?
    public var keySpec: String?
    public var origin: String?
    public var multiRegion: Bool?
    public var creationDate: Date?
    public var deletionDate: Date?

    public init(
        keyId: String, arn: String? = nil, awsAccountId: String? = nil, keyManager: KMSKeyManager,
        keyState: String? = nil, enabled: Bool? = nil, description: String? = nil, keyUsage: String? = nil,
        keySpec: String? = nil, origin: String? = nil, multiRegion: Bool? = nil, creationDate: Date? = nil,
        deletionDate: Date? = nil
    ) {
        self.keyId = keyId
        self.arn = arn
        self.awsAccountId = awsAccountId
        self.keyManager = keyManager
        self.keyState = keyState
        self.enabled = enabled
        self.description = description
        self.keyUsage = keyUsage
        self.keySpec = keySpec
        self.origin = origin
        self.multiRegion = multiRegion
        self.creationDate = creationDate
        self.deletionDate = deletionDate
    }

    /// True for AWS managed keys (`aws/rds` and friends): not shareable across accounts.
    public var isAWSManaged: Bool { keyManager == .aws }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId", arn = "Arn", awsAccountId = "AWSAccountId", keyManager = "KeyManager"
        case keyState = "KeyState", enabled = "Enabled", description = "Description", keyUsage = "KeyUsage"
        case keySpec = "KeySpec", origin = "Origin", multiRegion = "MultiRegion", creationDate = "CreationDate"
        case deletionDate = "DeletionDate"
    }
}
