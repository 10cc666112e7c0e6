import Foundation

/// One entry of `ListAliases`.
public struct KMSAlias: Sendable, Equatable, Decodable {
    /// `alias/<name>`; AWS managed keys have `alias/aws/<service>`.
    public var aliasName: String
    public var aliasArn: String?
    /// The key the alias points to; absent for AWS managed aliases whose key does not exist yet.
    public var targetKeyId: String?
    public var creationDate: Date?
    public var lastUpdatedDate: Date?

    public init(
        aliasName: String, aliasArn: String? = nil, targetKeyId: String? = nil, creationDate: Date? = nil,
        lastUpdatedDate: Date? = nil
    ) {
        self.aliasName = aliasName
        self.aliasArn = aliasArn
        self.targetKeyId = targetKeyId
        self.creationDate = creationDate
        self.lastUpdatedDate = lastUpdatedDate
    }

    /// `alias/aws/…`: an alias AWS reserves for its managed keys.
    public var isAWSManaged: Bool { aliasName.hasPrefix("alias/aws/") }

    enum CodingKeys: String, CodingKey {
        case aliasName = "AliasName", aliasArn = "AliasArn", targetKeyId = "TargetKeyId"
        case creationDate = "CreationDate", lastUpdatedDate = "LastUpdatedDate"
    }
}
