/// `DeleteDBInstance`. Irreversible: the engine issues it once, after approval.
public struct DeleteDBInstanceRequest: Sendable, Equatable {
    /// What happens to the data. AWS requires a choice (moto does not check it), so the type does too.
    public enum FinalSnapshot: Sendable, Equatable {
        /// `SkipFinalSnapshot=true`: the data is gone unless another snapshot exists.
        case skip
        /// `SkipFinalSnapshot=false` with `FinalDBSnapshotIdentifier`.
        case take(identifier: String)

        /// `SkipFinalSnapshot` and `FinalDBSnapshotIdentifier` (DeleteDBInstance and DeleteDBCluster share them).
        func add(to p: inout QueryParameters) {
            switch self {
            case .skip:
                p.add("SkipFinalSnapshot", true)
            case .take(let identifier):
                p.add("SkipFinalSnapshot", false)
                p.add("FinalDBSnapshotIdentifier", identifier)
            }
        }
    }

    public var instanceIdentifier: String
    public var finalSnapshot: FinalSnapshot
    /// Whether automated backups go with the instance (AWS's default: they do).
    public var deleteAutomatedBackups: Bool?

    public init(instanceIdentifier: String, finalSnapshot: FinalSnapshot, deleteAutomatedBackups: Bool? = nil) {
        self.instanceIdentifier = instanceIdentifier
        self.finalSnapshot = finalSnapshot
        self.deleteAutomatedBackups = deleteAutomatedBackups
    }

    var parameters: QueryParameters {
        var p = QueryParameters()
        p.add("DBInstanceIdentifier", instanceIdentifier)
        finalSnapshot.add(to: &p)
        p.add("DeleteAutomatedBackups", deleteAutomatedBackups)
        return p
    }
}
