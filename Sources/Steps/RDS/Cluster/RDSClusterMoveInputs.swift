import Engine
import Foundation
import Runbook

/// What `rds.move-cluster` takes beyond what both moves take alike, with the names derived from
/// it: the restored cluster's (the source's unless `targetCluster` says otherwise) and its
/// members' (`<targetCluster>-1` … `-N`).
struct RDSClusterMoveInputs: RDSMoveOwnInputs {
    var cluster: String
    var clusterParameterGroup: String?
    /// The members' class; nil: the source members' class.
    var instanceClass: String?
    /// How many members to create; nil: as many as the source has.
    var instances: Int?
    /// The runbook's `targetCluster`; nil: the source's name (`targetCluster`).
    var targetClusterName: String?

    enum CodingKeys: String, CodingKey {
        case cluster, clusterParameterGroup, instanceClass, instances
        case targetClusterName = "targetCluster"
    }

    var source: String { cluster }
    /// The restored cluster's identifier.
    var targetCluster: String { targetClusterName ?? cluster }

    /// The members' identifiers: `<targetCluster>-1` … `-count`.
    func memberIdentifiers(count: Int) -> [String] {
        count > 0 ? (1...count).map { "\(targetCluster)-\($0)" } : []
    }
}
