import Engine
import Foundation
import Runbook

/// The inputs every `rds.move-cluster` primitive receives (the planner copies the step's `with:`
/// into each), typed, with the names derived from them: the cluster snapshot's identifier (from
/// the run ID unless the runbook names one, so a restart finds the same snapshot), the restored
/// cluster's (the source's unless `targetCluster` says otherwise) and its members'
/// (`<targetCluster>-1` … `-N`).
struct RDSClusterMoveSettings: RDSMoveInputs, Equatable {
    var cluster: String
    var common: RDSMoveCommonInputs
    var clusterParameterGroup: String?
    /// The members' class; nil: the source members' class.
    var instanceClass: String?
    /// How many members to create; nil: as many as the source has.
    var instances: Int?
    var targetCluster: String

    init(_ step: PlannedStep) throws {
        let reader = RDSMoveInputReader(step)
        let inputs = reader.inputs
        cluster = try reader.required("cluster")
        common = try RDSMoveCommonInputs(reader)
        clusterParameterGroup = inputs["clusterParameterGroup"]?.stringValue
        instanceClass = inputs["instanceClass"]?.stringValue
        instances = inputs["instances"]?.numberValue.map { Int($0) }
        targetCluster = inputs["targetCluster"]?.stringValue ?? cluster
    }

    var source: String { cluster }

    /// The members' identifiers: `<targetCluster>-1` … `-count`.
    func memberIdentifiers(count: Int) -> [String] {
        count > 0 ? (1...count).map { "\(targetCluster)-\($0)" } : []
    }
}
