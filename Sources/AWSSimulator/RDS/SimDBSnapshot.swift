import Foundation

/// A DB snapshot or an Aurora DB cluster snapshot: they share the rules a cutover depends on
/// (manual only, shared through `restore`, copied by ARN, encryption and key checks), so one type
/// serves both and `kind` says which API family it belongs to.
public struct SimDBSnapshot: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// `snapshot:` ARNs, the DB snapshot API.
        case instance = "snapshot"
        /// `cluster-snapshot:` ARNs, the DB cluster snapshot API.
        case cluster = "cluster-snapshot"
    }

    public var kind: Kind
    public var identifier: String
    public var account: String
    public var region: String
    /// The instance (or cluster) the data came from.
    public var sourceIdentifier: String
    /// `manual` or `automated`.
    public var snapshotType: String
    public var engine: String
    public var engineVersion: String
    /// Kept for restores: RDS restores to the original class unless told otherwise.
    public var instanceClass: String
    public var allocatedStorage: Int
    public var storageType: String
    public var masterUsername: String?
    public var port: Int
    public var vpcId: String
    public var availabilityZone: String
    public var optionGroupName: String?
    public var encrypted: Bool
    /// The key ARN, when encrypted.
    public var kmsKeyId: String?
    /// SnapshotCreateTime: when this snapshot (or this copy) was made.
    public var createdAt: Date
    /// OriginalSnapshotCreateTime: when the data was first snapshotted (kept across copies).
    public var originalCreatedAt: Date
    /// Hidden before this time (automated snapshots appear when the backup starts).
    public var visibleFrom: Date
    /// `creating` or `copying` until `readyAt`, with PercentProgress rising linearly from
    /// `visibleFrom`; then `available`.
    public var pendingStatus: String
    public var readyAt: Date
    /// For a copy: the source's ARN, and its region when it was another one.
    public var sourceSnapshotArn: String?
    public var sourceRegion: String?
    /// The `restore` attribute: account IDs, or `all`.
    public var sharedWith: [String]
    public var tags: [String: String]
    /// The source instance's tags at snapshot time (what a restore without Tags gets, AWS-NOTES §5.3).
    public var instanceTags: [String: String]
    /// The persistent and permanent options of the instance's option group at snapshot time: they
    /// stay with the snapshot and its copies, and a restore needs a group that has them.
    public var carriedOptions: [SimOption] = []

    public var arn: String { RDSArn(region: region, account: account, type: kind.rawValue, id: identifier).text }

    public func status(at now: Date) -> String { now < readyAt ? pendingStatus : "available" }

    public func percentProgress(at now: Date) -> Int {
        guard now < readyAt, pendingStatus != "deleted" else { return 100 }
        let total = readyAt.timeIntervalSince(visibleFrom)
        guard total > 0 else { return 100 }
        return max(0, min(99, Int(now.timeIntervalSince(visibleFrom) / total * 100)))
    }

    /// True when `account` (not the owner) may see, copy or restore this snapshot.
    public func isShared(with account: String) -> Bool {
        snapshotType == "manual" && (sharedWith.contains(account) || sharedWith.contains("all"))
    }
}
