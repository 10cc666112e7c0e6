import Engine
import Foundation
import Runbook

/// The inputs every `rds.move-cluster` primitive receives (the planner copies the step's `with:`
/// into each), typed, with the names derived from them: the cluster snapshot's identifier (from
/// the run ID unless the runbook names one, so a restart finds the same snapshot), the restored
/// cluster's (the source's unless `targetCluster` says otherwise) and its members'
/// (`<targetCluster>-1` … `-N`).
struct RDSClusterMoveSettings: Sendable, Equatable {
    var cluster: String
    var from: String
    var to: String
    var kmsKey: String
    var subnetGroup: String
    var securityGroups: [String]
    var clusterParameterGroup: String?
    /// The members' class; nil: the source members' class.
    var instanceClass: String?
    /// How many members to create; nil: as many as the source has.
    var instances: Int?
    var deletionProtection: Bool?
    var targetCluster: String
    var snapshot: String?
    var pollInterval: Duration
    var waitTimeout: Duration

    init(_ step: PlannedStep) throws {
        let inputs = step.inputs
        func required(_ key: String) throws -> String {
            guard let value = inputs[key]?.stringValue, !value.isEmpty else {
                throw StepError(code: "InvalidInputs", message: "\(step.id) has no `\(key)` input; re-plan the runbook", retryable: false)
            }
            return value
        }
        cluster = try required("cluster")
        from = try required("from")
        to = try required("to")
        kmsKey = try required("kmsKey")
        subnetGroup = try required("subnetGroup")
        securityGroups = inputs["securityGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        clusterParameterGroup = inputs["clusterParameterGroup"]?.stringValue
        instanceClass = inputs["instanceClass"]?.stringValue
        instances = inputs["instances"]?.numberValue.map { Int($0) }
        deletionProtection = inputs["deletionProtection"]?.boolValue
        targetCluster = inputs["targetCluster"]?.stringValue ?? cluster
        snapshot = inputs["snapshot"]?.stringValue
        pollInterval = inputs["pollSeconds"]?.numberValue.map { .milliseconds(Int64($0 * 1000)) } ?? RDSMoveSettings.defaultPollInterval
        waitTimeout = inputs["waitTimeoutSeconds"]?.numberValue.map { .milliseconds(Int64($0 * 1000)) } ?? RDSMoveSettings.defaultWaitTimeout
    }

    /// The cluster snapshot in the source, and the name of its copy in the target: the runbook's,
    /// or `cutover-<cluster>-<run ID>`, the same on every attempt of the run.
    func snapshotIdentifier(runId: String) -> String {
        snapshot ?? RDSMoveSettings.identifier("cutover-\(cluster)-\(runId)")
    }

    /// The members' identifiers: `<targetCluster>-1` … `-count`.
    func memberIdentifiers(count: Int) -> [String] {
        count > 0 ? (1...count).map { "\(targetCluster)-\($0)" } : []
    }
}
