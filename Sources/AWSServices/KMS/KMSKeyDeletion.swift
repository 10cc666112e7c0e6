import Foundation

/// The answer to `ScheduleKeyDeletion`: the key is `PendingDeletion` (unusable) until
/// `deletionDate`, and CancelKeyDeletion can still bring it back until then (AWS-NOTES-2 KMS-4).
public struct KMSKeyDeletion: Sendable, Equatable {
    /// The key's ARN.
    public var keyId: String
    public var deletionDate: Date?
    public var keyState: String?
    public var pendingWindowInDays: Int?
    public var requestId: String?

    public init(
        keyId: String, deletionDate: Date? = nil, keyState: String? = nil, pendingWindowInDays: Int? = nil, requestId: String? = nil
    ) {
        self.keyId = keyId
        self.deletionDate = deletionDate
        self.keyState = keyState
        self.pendingWindowInDays = pendingWindowInDays
        self.requestId = requestId
    }

    /// The waiting period KMS allows (7–30 days, default 30); the model's shape says 1–365, the
    /// service enforces 7–30 (AWS-NOTES-2 KMS-4).
    public static let allowedWindow = 7...30
    public static let defaultWindow = 30
}

/// A key as `ListKeys` lists it.
public struct KMSKeyListEntry: Sendable, Equatable, Decodable {
    public var keyId: String
    public var keyArn: String?

    public init(keyId: String, keyArn: String? = nil) {
        self.keyId = keyId
        self.keyArn = keyArn
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId", keyArn = "KeyArn"
    }
}
