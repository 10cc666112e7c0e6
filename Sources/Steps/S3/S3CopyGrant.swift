import Engine
import Foundation

/// The bucket-policy statement that lets the source account write a copy into a bucket of the
/// target account (the copy runs as the source account, which can read its own objects, KMS
/// keys included). Added to whatever policy the bucket has, identified by its `Sid`, and
/// removed again by the same `Sid`. The version actions let the rollback's copy back read
/// staging's history as the source account (`S3VersionCopier`).
enum S3CopyGrant {
    static func sid(for accountId: String) -> String { "CutoverCopyFrom\(accountId)" }

    static func statement(bucket: String, grantee accountId: String) -> [String: Any] {
        [
            "Sid": sid(for: accountId), "Effect": "Allow",
            "Principal": ["AWS": "arn:aws:iam::\(accountId):root"],
            "Action": [
                "s3:PutObject", "s3:PutObjectTagging", "s3:GetObject", "s3:GetObjectTagging", "s3:ListBucket",
                "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
                // History (issue 17): a rollback's copy back reads staging's versions as the source account.
                "s3:ListBucketVersions", "s3:GetObjectVersion", "s3:GetObjectVersionTagging",
                // A copy that carries object ACLs sets them with x-amz-grant-* (AWS-NOTES-2 [COPY-2]).
                "s3:PutObjectAcl",
            ],
            "Resource": ["arn:aws:s3:::\(bucket)", "arn:aws:s3:::\(bucket)/*"],
        ]
    }

    /// True when `policy` already carries the grant.
    static func isGranted(_ policy: String?, grantee accountId: String) -> Bool {
        statements(policy).contains { ($0["Sid"] as? String) == sid(for: accountId) }
    }

    /// `policy` with the grant added (nil when it is already there).
    static func adding(to policy: String?, bucket: String, grantee accountId: String) throws -> String? {
        guard !isGranted(policy, grantee: accountId) else { return nil }
        var root = try parse(policy)
        var list = statements(policy)
        list.append(statement(bucket: bucket, grantee: accountId))
        root["Statement"] = list
        if root["Version"] == nil { root["Version"] = "2012-10-17" }
        return try serialize(root)
    }

    /// `policy` without the grant; `.some(nil)` when nothing else is left (delete the policy),
    /// nil when the grant was not there.
    static func removing(from policy: String?, grantee accountId: String) throws -> String?? {
        guard isGranted(policy, grantee: accountId) else { return nil }
        var root = try parse(policy)
        let rest = statements(policy).filter { ($0["Sid"] as? String) != sid(for: accountId) }
        if rest.isEmpty { return .some(nil) }
        root["Statement"] = rest
        return .some(try serialize(root))
    }

    private static func parse(_ policy: String?) throws -> [String: Any] {
        guard let policy else { return [:] }
        guard let root = try JSONSerialization.jsonObject(with: Data(policy.utf8)) as? [String: Any] else {
            throw StepError(code: "MalformedPolicy", message: "the bucket policy is not a JSON object", retryable: false)
        }
        return root
    }

    private static func statements(_ policy: String?) -> [[String: Any]] {
        guard let policy, let data = policy.data(using: .utf8),
            let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        if let list = root["Statement"] as? [[String: Any]] { return list }
        if let single = root["Statement"] as? [String: Any] { return [single] }
        return []
    }

    private static func serialize(_ root: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }
}
