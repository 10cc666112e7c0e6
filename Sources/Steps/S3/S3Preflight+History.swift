import AWSServices
import Foundation
import Runbook

/// The preflight's word on version history (issue 17): how many versions, delete markers and
/// bytes (noncurrent included) the source holds, what the move does with them, and what stops it.
extension S3Preflight {
    /// - `source-history` (ok): versions, noncurrent versions, delete markers and bytes, and that
    ///   all of it is copied (the default on a versioned source, or `versions: all`);
    /// - a warning with `versions: current`: that many noncurrent versions and markers (and bytes)
    ///   are destroyed when the source is emptied;
    /// - a blocker when `engine: batch-operations` would meet a versioned source without
    ///   `versions: current` (the copy step would stop: a job keeps no history).
    static func history(
        _ bucket: String, account: String, versions: [S3ObjectVersion], markers: Int, versioning: String?, copy: PlannedStep?
    ) -> [Item] {
        let versioned =
            versioning?.contains("<Status>Enabled</Status>") == true || versioning?.contains("<Status>Suspended</Status>") == true
        guard versioned || versions.contains(where: { $0.versionId != "null" }) || markers > 0 else {
            return [
                Item(
                    account: account, check: "source-history", severity: .ok,
                    detail: "\(bucket) has never been versioned: one version per object, nothing more to copy")
            ]
        }
        let noncurrent = versions.filter { !$0.isLatest }
        let allBytes = versions.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        let noncurrentBytes = noncurrent.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        let counts =
            "\(versions.count) versions (\(noncurrent.count) noncurrent, \(format(bytes: noncurrentBytes))), "
            + "\(markers) delete markers, \(format(bytes: allBytes)) in all versions"
        let mode = copy?.inputs["versions"]?.stringValue.flatMap(S3VersionsMode.init(rawValue:))
        if mode == .current {
            return [
                Item(
                    account: account, check: "source-history", severity: .warning,
                    detail: "\(bucket) holds \(counts). `versions: current` copies only the current versions: emptying the source "
                        + "destroys \(noncurrent.count) noncurrent versions (\(format(bytes: noncurrentBytes))) and \(markers) delete "
                        + "markers for good. Leave `versions` out to carry the history")
            ]
        }
        if copy?.type == S3PrimitiveType.batchCopy, copy?.inputs["engine"]?.stringValue == "batch-operations" {
            return [
                Item(
                    account: account, check: "source-history", severity: .blocker,
                    detail: "\(bucket) holds \(counts), and `engine: batch-operations` copies only current versions in no order: "
                        + "write `versions: current` to accept losing the history, or use `engine: per-object` or `auto`")
            ]
        }
        return [
            Item(
                account: account, check: "source-history", severity: .ok,
                detail: "\(bucket) holds \(counts); every version and delete marker is copied per key, oldest to newest, and "
                    + "verified chain by chain (new version IDs, the old → new map in the audit log)")
        ]
    }
}
