import AWSServices
import Foundation

/// A bucket's configuration as `capture-config` journals it (output `config`, compact JSON) and
/// `recreate`/`restore-config` read it back: every configured sub-resource's document, already
/// rewritten for the target account.
struct S3CapturedConfig: Codable, Sendable, Equatable {
    /// The bucket's region (HeadBucket).
    var region: String?
    /// Sub-resource name (`BucketSubresource.rawValue`) → document as S3 returned it, rewritten.
    var documents: [String: String]
    /// Lifecycle's `x-amz-transition-default-minimum-object-size`, when S3 sent one.
    var lifecycleMinimumObjectSize: String?
    /// 12-digit account IDs left in the documents that no mapping rewrote (and that are not the
    /// target account): a policy or notification still pointing at them after the move.
    var unmappedAccountIds: [String]
    /// KMS key ARNs of the source account that `kmsKeyMap` does not map.
    var unmappedKMSKeys: [String]

    /// The order AWS needs: ownership controls before ACL-dependent settings, the public access
    /// block before a policy that would be "public", versioning before Object Lock and replication.
    static let restoreOrder: [BucketSubresource] = [
        .ownershipControls, .publicAccessBlock, .versioning, .objectLock, .encryption, .policy, .cors, .lifecycle,
        .tagging, .website, .logging, .notification, .replication, .accelerate, .requestPayment,
    ]

    var objectLockEnabled: Bool {
        documents[BucketSubresource.objectLock.rawValue]?.contains("<ObjectLockEnabled>Enabled</ObjectLockEnabled>") ?? false
    }

    /// `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`, if captured.
    var objectOwnership: String? {
        guard let document = documents[BucketSubresource.ownershipControls.rawValue],
            let start = document.range(of: "<ObjectOwnership>"),
            let end = document.range(of: "</ObjectOwnership>", range: start.upperBound..<document.endIndex)
        else { return nil }
        return String(document[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> S3CapturedConfig {
        try JSONDecoder().decode(S3CapturedConfig.self, from: Data(text.utf8))
    }
}
