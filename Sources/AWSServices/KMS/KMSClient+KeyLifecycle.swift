import Foundation

/// Creating a key for a run, finding it again after a crash, and scheduling its deletion: what
/// the RDS move needs when it re-encrypts an `aws/rds` snapshot under a key of its own.
extension KMSClient {
    /// `CreateKey` (symmetric, ENCRYPT_DECRYPT): the new key's metadata and the request ID.
    public func createKey(_ request: CreateKeyRequest) async throws -> (KMSKeyMetadata, String?) {
        struct Output: Decodable, Sendable {
            var KeyMetadata: KMSKeyMetadata
        }
        let (output, requestId): (Output, String?) = try await send("CreateKey", request, resource: nil)
        return (output.KeyMetadata, requestId)
    }

    /// `ListKeys`, every page: the account's keys in the client's region (AWS managed ones too).
    public func listAllKeys() async throws -> [KMSKeyListEntry] {
        struct Input: Encodable, Sendable {
            var Marker: String?
        }
        struct Output: Decodable, Sendable {
            var Keys: [KMSKeyListEntry]?
            var NextMarker: String?
            var Truncated: Bool?
        }
        return try await pages("ListKeys", resource: nil) { marker -> ([KMSKeyListEntry], String?) in
            let (output, _): (Output, String?) = try await send("ListKeys", Input(Marker: marker), resource: nil)
            return (output.Keys ?? [], output.Truncated == true ? output.NextMarker : nil)
        }
    }

    /// `ListResourceTags`, every page: the key's tags (own keys only; KMS does not list another
    /// account's tags).
    public func listResourceTags(keyId: String) async throws -> [String: String] {
        struct Input: Encodable, Sendable {
            var KeyId: String
            var Marker: String?
        }
        struct Output: Decodable, Sendable {
            var Tags: [KMSTag]?
            var NextMarker: String?
            var Truncated: Bool?
        }
        let tags = try await pages("ListResourceTags", resource: keyId) { marker -> ([KMSTag], String?) in
            let (output, _): (Output, String?) = try await send("ListResourceTags", Input(KeyId: keyId, Marker: marker), resource: keyId)
            return (output.Tags ?? [], output.Truncated == true ? output.NextMarker : nil)
        }
        return Dictionary(tags.map { ($0.key, $0.value) }) { $1 }
    }

    /// `ScheduleKeyDeletion`: the key becomes `PendingDeletion` (unusable at once) and is deleted
    /// after `pendingWindowInDays` (7–30).
    public func scheduleKeyDeletion(keyId: String, pendingWindowInDays: Int) async throws -> KMSKeyDeletion {
        struct Input: Encodable, Sendable {
            var KeyId: String
            var PendingWindowInDays: Int
        }
        struct Output: Decodable, Sendable {
            var KeyId: String?
            var DeletionDate: Date?
            var KeyState: String?
            var PendingWindowInDays: Int?
        }
        let (output, requestId): (Output, String?) = try await send(
            "ScheduleKeyDeletion", Input(KeyId: keyId, PendingWindowInDays: pendingWindowInDays), resource: keyId)
        return KMSKeyDeletion(
            keyId: output.KeyId ?? keyId, deletionDate: output.DeletionDate, keyState: output.KeyState,
            pendingWindowInDays: output.PendingWindowInDays, requestId: requestId)
    }

    /// Follows `NextMarker` while the service says `Truncated`; a marker that repeats is a
    /// malformed answer, not a long list.
    private func pages<Item>(
        _ operation: String, resource: String?, _ page: (String?) async throws -> ([Item], String?)
    ) async throws -> [Item] {
        var items: [Item] = []
        var marker: String?
        var seen: Set<String> = []
        for _ in 0..<Self.maxPages {
            let (batch, next) = try await page(marker)
            items += batch
            guard let next, !next.isEmpty else { return items }
            guard seen.insert(next).inserted else {
                throw client.failure(
                    AWSRequest(operation: operation, resource: resource), origin: .malformedResponse, code: "MalformedResponse",
                    message: "pagination would never end: the marker \(next) came back twice", status: 200, requestId: nil, attempts: 1)
            }
            marker = next
        }
        throw client.failure(
            AWSRequest(operation: operation, resource: resource), origin: .malformedResponse, code: "MalformedResponse",
            message: "pagination would never end: more than \(Self.maxPages) pages", status: 200, requestId: nil, attempts: 1)
    }
}
