/// The RDS errors the simulator answers, with the codes and HTTP statuses of botocore's RDS model
/// (BC-RDS `error.code` / `httpStatusCode`). Messages follow AWS's wording where it is known.
enum RDSErrors {
    static func instanceNotFound(_ id: String) -> SimError { SimError("DBInstanceNotFound", "DBInstance \(id) not found.", status: 404) }
    static func instanceExists(_ id: String) -> SimError { SimError("DBInstanceAlreadyExists", "DB instance already exists", status: 400) }
    static func instanceState(_ message: String) -> SimError { SimError("InvalidDBInstanceState", message, status: 400) }

    static func snapshotNotFound(_ id: String) -> SimError { SimError("DBSnapshotNotFound", "DBSnapshot not found: \(id)", status: 404) }
    static func snapshotExists(_ id: String) -> SimError {
        SimError(
            "DBSnapshotAlreadyExists", "Cannot create the snapshot because a snapshot with the identifier \(id) already exists.",
            status: 400)
    }
    static func snapshotState(_ message: String) -> SimError { SimError("InvalidDBSnapshotState", message, status: 400) }

    static func clusterNotFound(_ id: String) -> SimError { SimError("DBClusterNotFoundFault", "DBCluster \(id) not found.", status: 404) }
    static func clusterExists(_ id: String) -> SimError {
        SimError("DBClusterAlreadyExistsFault", "DB Cluster already exists", status: 400)
    }
    static func clusterState(_ message: String) -> SimError { SimError("InvalidDBClusterStateFault", message, status: 400) }
    static func clusterSnapshotNotFound(_ id: String) -> SimError {
        SimError("DBClusterSnapshotNotFoundFault", "DBClusterSnapshot \(id) not found.", status: 404)
    }
    static func clusterSnapshotExists(_ id: String) -> SimError {
        SimError(
            "DBClusterSnapshotAlreadyExistsFault",
            "Cannot create the cluster snapshot because one with the identifier \(id) already exists.", status: 400)
    }
    static func clusterSnapshotState(_ message: String) -> SimError { SimError("InvalidDBClusterSnapshotStateFault", message, status: 400) }

    /// The wording observed from RDS (awslabs/aurora-snapshot-tool#25).
    static func kmsKeyNotAccessible(_ key: String) -> SimError {
        SimError(
            "KMSKeyNotAccessibleFault",
            "Specified KMS key [\(key)] does not exist, is not enabled or you do not have permissions to access it.", status: 400)
    }

    static func subnetGroupNotFound(_ name: String) -> SimError {
        SimError("DBSubnetGroupNotFoundFault", "DBSubnetGroup '\(name)' not found.", status: 404)
    }
    static func parameterGroupNotFound(_ name: String) -> SimError {
        SimError("DBParameterGroupNotFound", "DBParameterGroup not found: \(name)", status: 404)
    }
    static func clusterParameterGroupNotFound(_ name: String) -> SimError {
        SimError("DBClusterParameterGroupNotFound", "DBClusterParameterGroup not found: \(name)", status: 404)
    }
    static func optionGroupNotFound(_ name: String) -> SimError {
        SimError("OptionGroupNotFoundFault", "Specified OptionGroupName not found: \(name)", status: 404)
    }
    static func sharedQuota(_ id: String) -> SimError {
        SimError("SharedSnapshotQuotaExceeded", "The snapshot \(id) can be shared with at most 20 accounts.", status: 400)
    }

    static func invalidValue(_ message: String) -> SimError { SimError("InvalidParameterValue", message, status: 400) }
    static func invalidCombination(_ message: String) -> SimError { SimError("InvalidParameterCombination", message, status: 400) }
    static func missing(_ name: String) -> SimError {
        SimError("MissingParameter", "The request must contain the parameter \(name)", status: 400)
    }
}
