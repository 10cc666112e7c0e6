import Engine
import Foundation
import Runbook

/// The inputs every `rds.move-instance` primitive receives (the planner copies the step's `with:`
/// into each), typed, with the names derived from them: the snapshot identifier (from the run ID
/// unless the runbook names one, so a restart finds the same snapshot) and the restored instance's
/// identifier (the source's unless `targetInstance` says otherwise).
struct RDSMoveSettings: RDSMoveInputs, Equatable {
    var instance: String
    var from: String
    var to: String
    var kmsKey: String
    var subnetGroup: String
    var securityGroups: [String]
    var parameterGroup: String?
    var instanceClass: String?
    var multiAZ: Bool?
    var deletionProtection: Bool?
    var targetInstance: String
    /// The snapshot the runbook names; nil: derived from the run ID.
    var snapshot: String?
    var pollInterval: Duration
    var waitTimeout: Duration

    init(_ step: PlannedStep) throws {
        let reader = RDSMoveInputReader(step)
        let inputs = reader.inputs
        instance = try reader.required("instance")
        from = try reader.required("from")
        to = try reader.required("to")
        kmsKey = try reader.required("kmsKey")
        subnetGroup = try reader.required("subnetGroup")
        securityGroups = reader.securityGroups
        parameterGroup = inputs["parameterGroup"]?.stringValue
        instanceClass = inputs["instanceClass"]?.stringValue
        multiAZ = inputs["multiAZ"]?.boolValue
        deletionProtection = inputs["deletionProtection"]?.boolValue
        targetInstance = inputs["targetInstance"]?.stringValue ?? instance
        snapshot = inputs["snapshot"]?.stringValue
        pollInterval = reader.pollInterval
        waitTimeout = reader.waitTimeout
    }

    var source: String { instance }
}
