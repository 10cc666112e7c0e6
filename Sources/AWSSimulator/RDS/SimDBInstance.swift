import Foundation

/// One DB instance of the simulated world. Its status is read from `timeline` at the caller's
/// simulated now: creating → backing-up → available, modifying, deleting → gone.
public struct SimDBInstance: Sendable, Equatable {
    public var identifier: String
    public var account: String
    public var region: String
    public var engine: String
    public var engineVersion: String
    public var instanceClass: String
    public var allocatedStorage: Int
    public var storageType: String
    public var masterUsername: String?
    public var port: Int
    public var storageEncrypted: Bool
    /// The key ARN, when encrypted.
    public var kmsKeyId: String?
    public var subnetGroupName: String
    public var vpcId: String
    public var securityGroupIds: [String]
    public var parameterGroupName: String
    public var optionGroupName: String
    /// The persistent and permanent options the instance has (from its option group, or carried
    /// in from the snapshot it was restored from): every snapshot of it carries them.
    public var carriedOptions: [SimOption] = []
    public var multiAZ: Bool
    public var publiclyAccessible: Bool
    public var deletionProtection: Bool
    public var backupRetentionPeriod: Int
    public var clusterIdentifier: String?
    public var availabilityZone: String
    public var dbiResourceId: String
    public var createdAt: Date
    public var tags: [String: String]
    public var timeline: SimRDSTimeline

    public var arn: String { RDSArn(region: region, account: account, type: "db", id: identifier).text }

    public func status(at now: Date) -> String { timeline.status(at: now) }

    /// `ID.cXXXXXXXXXXX.REGION.rds.amazonaws.com`, the same host suffix for all of an account's instances.
    public var endpointAddress: String { "\(identifier).\(RDSNames.hostSuffix(account: account, region: region))" }
}

/// Deterministic names derived from an account, so seeded worlds look the same every run.
enum RDSNames {
    /// `cXXXXXXXXXXX.REGION.rds.amazonaws.com`.
    static func hostSuffix(account: String, region: String) -> String {
        "c\(base36(fnv(account + region), count: 11)).\(region).rds.amazonaws.com"
    }

    static func defaultSecurityGroup(vpcId: String) -> String { "sg-0\(hex(fnv("sg" + vpcId), count: 16))" }

    static func defaultVpc(account: String) -> String { "vpc-0\(hex(fnv("vpc" + account), count: 16))" }

    /// The IDs of the (unmodelled) subnets behind a subnet group, stable per VPC and group.
    static func subnet(vpcId: String, group: String, index: Int) -> String {
        "subnet-0\(hex(fnv("subnet\(index)" + vpcId + group), count: 16))"
    }

    static func resourceId(_ seed: String, prefix: String) -> String { "\(prefix)-\(base36(fnv(seed), count: 26).uppercased())" }

    static func defaultPort(engine: String) -> Int {
        switch engine {
        case let e where e.contains("postgres"): 5432
        case let e where e.hasPrefix("oracle"): 1521
        case let e where e.hasPrefix("sqlserver"): 1433
        default: 3306
        }
    }

    static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    private static func hex(_ v: UInt64, count: Int) -> String {
        let s = String(v, radix: 16)
        return String((String(repeating: "0", count: max(0, count - s.count)) + s).suffix(count))
    }

    private static func base36(_ seed: UInt64, count: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SimRandom(seed: seed)
        return String((0..<count).map { _ in alphabet[Int(generator.next() % 36)] })
    }
}
