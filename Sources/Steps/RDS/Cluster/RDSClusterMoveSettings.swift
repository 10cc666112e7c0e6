import Engine
import Foundation
import Runbook

/// The inputs every `rds.move-cluster` primitive receives (the definition encodes them into
/// each), typed, with the names derived from them: the cluster snapshot's identifier (from the
/// run ID unless the runbook names one, so a restart finds the same snapshot), the restored
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

extension RDSClusterMoveSettings {
    /// The plan carries one flat object: the common inputs beside the cluster's own.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cluster = try container.decodeNonEmpty(.cluster)
        common = try RDSMoveCommonInputs(from: decoder)
        clusterParameterGroup = try container.decodeIfPresent(String.self, forKey: .clusterParameterGroup)
        instanceClass = try container.decodeIfPresent(String.self, forKey: .instanceClass)
        instances = try container.decodeIfPresent(Int.self, forKey: .instances)
        targetClusterName = try container.decodeIfPresent(String.self, forKey: .targetClusterName)
    }

    func encode(to encoder: any Encoder) throws {
        try common.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cluster, forKey: .cluster)
        try container.encodeIfPresent(clusterParameterGroup, forKey: .clusterParameterGroup)
        try container.encodeIfPresent(instanceClass, forKey: .instanceClass)
        try container.encodeIfPresent(instances, forKey: .instances)
        try container.encodeIfPresent(targetClusterName, forKey: .targetClusterName)
    }
}
