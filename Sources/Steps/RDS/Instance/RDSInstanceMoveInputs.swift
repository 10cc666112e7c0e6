import Engine
import Foundation
import Runbook

/// What `rds.move-instance` takes beyond what both moves take alike, with the restored instance's
/// identifier derived from it (the source's unless `targetInstance` says otherwise).
struct RDSInstanceMoveInputs: RDSMoveOwnInputs {
    var instance: String
    var parameterGroup: String?
    var instanceClass: String?
    var multiAZ: Bool?
    /// The runbook's `targetInstance`; nil: the source's name (`targetInstance`).
    var targetInstanceName: String?
    /// The option group in the target to restore into; nil: RDS's default (the snapshot's group).
    var optionGroup: String?

    enum CodingKeys: String, CodingKey {
        case instance, parameterGroup, instanceClass, multiAZ, optionGroup
        case targetInstanceName = "targetInstance"
    }

    var source: String { instance }
    /// The restored instance's identifier.
    var targetInstance: String { targetInstanceName ?? instance }
}
