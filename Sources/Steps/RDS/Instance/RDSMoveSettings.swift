import Engine
import Foundation
import Runbook

/// The inputs every `rds.move-instance` primitive receives (the definition encodes them into
/// each), typed, with the names derived from them: the snapshot identifier (from the run ID
/// unless the runbook names one, so a restart finds the same snapshot) and the restored instance's
/// identifier (the source's unless `targetInstance` says otherwise).
struct RDSMoveSettings: RDSMoveInputs, Equatable {
    var instance: String
    var common: RDSMoveCommonInputs
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

extension RDSMoveSettings {
    /// The plan carries one flat object: the common inputs beside the instance's own.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instance = try container.decodeNonEmpty(.instance)
        common = try RDSMoveCommonInputs(from: decoder)
        parameterGroup = try container.decodeIfPresent(String.self, forKey: .parameterGroup)
        instanceClass = try container.decodeIfPresent(String.self, forKey: .instanceClass)
        multiAZ = try container.decodeIfPresent(Bool.self, forKey: .multiAZ)
        targetInstanceName = try container.decodeIfPresent(String.self, forKey: .targetInstanceName)
        optionGroup = try container.decodeIfPresent(String.self, forKey: .optionGroup)
    }

    func encode(to encoder: any Encoder) throws {
        try common.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(instance, forKey: .instance)
        try container.encodeIfPresent(parameterGroup, forKey: .parameterGroup)
        try container.encodeIfPresent(instanceClass, forKey: .instanceClass)
        try container.encodeIfPresent(multiAZ, forKey: .multiAZ)
        try container.encodeIfPresent(targetInstanceName, forKey: .targetInstanceName)
        try container.encodeIfPresent(optionGroup, forKey: .optionGroup)
    }
}
