import Engine
import Foundation
import Runbook

/// The inputs every `rds.move-instance` primitive receives (the planner copies the step's `with:`
/// into each), typed, with the names derived from them: the snapshot identifier (from the run ID
/// unless the runbook names one, so a restart finds the same snapshot) and the restored instance's
/// identifier (the source's unless `targetInstance` says otherwise).
struct RDSMoveSettings: RDSMoveInputs, Equatable {
    var instance: String
    var common: RDSMoveCommonInputs
    var parameterGroup: String?
    var instanceClass: String?
    var multiAZ: Bool?
    var targetInstance: String
    /// The option group in the target to restore into; nil: RDS's default (the snapshot's group).
    var optionGroup: String?

    init(_ step: PlannedStep) throws {
        let reader = RDSMoveInputReader(step)
        let inputs = reader.inputs
        instance = try reader.required("instance")
        common = try RDSMoveCommonInputs(reader)
        parameterGroup = inputs["parameterGroup"]?.stringValue
        instanceClass = inputs["instanceClass"]?.stringValue
        multiAZ = inputs["multiAZ"]?.boolValue
        targetInstance = inputs["targetInstance"]?.stringValue ?? instance
        optionGroup = inputs["optionGroup"]?.stringValue
    }

    var source: String { instance }
}
