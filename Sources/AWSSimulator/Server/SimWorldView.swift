import Foundation

/// The world as `GET /_sim/state` shows it: per account, its users and roles, buckets (with
/// versioning and key counts), RDS instances, clusters and snapshots with their status now, and
/// KMS keys. A summary for scripts and the demo, not every field; tests that need more read the
/// simulator's library API.
struct SimWorldView: Encodable {
    struct Account: Encodable {
        var id: String
        var name: String
        var users: [String]
        var roles: [String]
        var buckets: [Bucket]
        var dbInstances: [RDSResource]
        var dbClusters: [RDSResource]
        var dbSnapshots: [RDSResource]
        var dbClusterSnapshots: [RDSResource]
        var kmsKeys: [String]
    }

    struct Bucket: Encodable {
        var name: String
        var region: String
        var versioning: String
        var objectLock: Bool
        var keys: Int
    }

    struct RDSResource: Encodable {
        var identifier: String
        var status: String
    }

    var now: Date
    var accounts: [Account]

    init(_ simulator: Simulator) {
        let now = simulator.clock.now()
        self.now = now
        let buckets = simulator.buckets
        accounts = simulator.accounts.map { account in
            Account(
                id: account.id, name: account.name, users: account.users, roles: account.roles,
                buckets: buckets.filter { $0.owner == account.id }.sorted { $0.name < $1.name }.map {
                    Bucket(
                        name: $0.name, region: $0.region, versioning: $0.versioning.rawValue, objectLock: $0.objectLockEnabled,
                        keys: $0.keys.count)
                },
                dbInstances: simulator.dbInstances(account: account.id).map {
                    RDSResource(identifier: $0.identifier, status: $0.status(at: now))
                },
                dbClusters: simulator.dbClusters(account: account.id).map {
                    RDSResource(identifier: $0.identifier, status: $0.status(at: now))
                },
                dbSnapshots: simulator.dbSnapshots(account: account.id).map {
                    RDSResource(identifier: $0.identifier, status: $0.status(at: now))
                },
                dbClusterSnapshots: simulator.dbSnapshots(account: account.id, kind: .cluster).map {
                    RDSResource(identifier: $0.identifier, status: $0.status(at: now))
                },
                kmsKeys: simulator.kmsKeys(account: account.id).map(\.arn))
        }
    }
}
