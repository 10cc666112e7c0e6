import Foundation

/// One Aurora DB cluster. RestoreDBClusterFromSnapshot creates it without members; instances join
/// through CreateDBInstance with DBClusterIdentifier (AWS-NOTES §5.5).
public struct SimDBCluster: Sendable, Equatable {
    public var identifier: String
    public var account: String
    public var region: String
    public var engine: String
    public var engineVersion: String
    public var masterUsername: String?
    public var port: Int
    public var storageEncrypted: Bool
    public var kmsKeyId: String?
    public var subnetGroupName: String
    public var vpcId: String
    public var securityGroupIds: [String]
    public var clusterParameterGroupName: String
    public var deletionProtection: Bool
    public var allocatedStorage: Int
    /// Member instance identifiers, writer first.
    public var members: [String]
    public var createdAt: Date
    public var tags: [String: String]
    public var timeline: SimRDSTimeline

    public var arn: String { RDSArn(region: region, account: account, type: "cluster", id: identifier).text }
    public func status(at now: Date) -> String { timeline.status(at: now) }

    public var endpoint: String { "\(identifier).cluster-\(RDSNames.hostSuffix(account: account, region: region).dropFirst())" }
    public var readerEndpoint: String { "\(identifier).cluster-ro-\(RDSNames.hostSuffix(account: account, region: region).dropFirst())" }
}
