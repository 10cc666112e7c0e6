import Foundation

/// Aurora clusters: describe, create (a seeding convenience), restore from a cluster snapshot.
extension RDSService {
    func describeDBClusters(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        var items = state.rds.clusters(account: call.account, now: call.now).filter { $0.region == call.region }
        if let reference = call.p.string("DBClusterIdentifier") {
            call.context.resource = reference
            let arn = call.arn(reference, type: "cluster")?.text
            items = items.filter { $0.arn == arn }
            guard !items.isEmpty else { throw RDSErrors.clusterNotFound(reference) }
        }
        for filter in call.p.filters() {
            switch filter.name {
            case "db-cluster-id": items = items.filter { filter.values.contains($0.identifier) || filter.values.contains($0.arn) }
            case "engine": items = items.filter { filter.values.contains($0.engine) }
            default: throw RDSErrors.invalidValue("Unrecognized filter name: \(filter.name).")
            }
        }
        let page = try call.page(items)
        w.element("DBClusters") { x in for c in page.items { Self.write(c, now: call.now, into: &x) } }
        w.leaf("Marker", page.marker)
    }

    func createDBCluster(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let id = try call.identifier("DBClusterIdentifier")
        call.context.resource = id
        let engine = try call.p.required("Engine").lowercased()
        guard engine.hasPrefix("aurora-") else {
            throw RDSErrors.invalidValue("The simulator models Aurora clusters (aurora-mysql, aurora-postgresql); got \(engine).")
        }
        guard let username = call.p.string("MasterUsername") else {
            throw RDSErrors.invalidValue("The parameter MasterUsername must be provided and must not be blank.")
        }
        if try call.p.bool("ManageMasterUserPassword") != true {
            guard let password = call.p.string("MasterUserPassword"), password.count >= 8 else {
                throw RDSErrors.invalidValue(
                    "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.")
            }
        }
        let encrypted = try call.p.bool("StorageEncrypted") ?? false
        var key: String?
        if let reference = call.p.string("KmsKeyId") {
            guard encrypted else { throw RDSErrors.invalidCombination("KmsKeyId can be specified only when StorageEncrypted is true.") }
            key = try call.usableKey(reference, &state).arn
        } else if encrypted {
            key = state.kms.awsManagedKey(account: call.account, region: call.region, now: call.now).arn
        }
        let cluster = try newCluster(
            id, call: call, state: &state, engine: engine, version: call.p.string("EngineVersion") ?? Self.defaultVersion(engine),
            username: username, encrypted: encrypted, key: key, storage: 1)
        state.rds.clusters[cluster.arn] = cluster
        call.context.mutated = true
        Self.write(cluster, now: call.now, into: &w)
    }

    /// RestoreDBClusterFromSnapshot. Unlike instances, a shared cluster snapshot — encrypted or not
    /// — can be restored directly by its ARN, and KmsKeyId re-encrypts at restore (AWS-NOTES §5.5).
    func restoreDBClusterFromSnapshot(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let id = try call.identifier("DBClusterIdentifier")
        call.context.resource = id
        let reference = try call.p.required("SnapshotIdentifier")
        let engine = try call.p.required("Engine").lowercased()
        let (snapshot, _) = try readableSnapshot(reference, .cluster, call, state)
        guard snapshot.status(at: call.now) == "available" else { throw Self.invalidState(.cluster, snapshot, call.now) }
        guard engine == snapshot.engine else {
            throw RDSErrors.invalidValue(
                "The engine \(engine) does not match the engine of snapshot \(snapshot.identifier) (\(snapshot.engine)).")
        }
        let arn = RDSArn(region: call.region, account: call.account, type: "cluster", id: id).text
        guard state.rds.cluster(arn, now: call.now) == nil else { throw RDSErrors.clusterExists(id) }
        // Reading the data needs the snapshot's key, whoever owns it.
        if let sourceKey = snapshot.kmsKeyId,
            !state.kms.snapshotAccess(
                keyArn: sourceKey, account: call.account, principalArn: call.context.principal.arn, region: snapshot.region
            ).isAllowed
        {
            throw RDSErrors.kmsKeyNotAccessible(sourceKey)
        }
        var encrypted = snapshot.encrypted
        var key = snapshot.kmsKeyId
        if let reference = call.p.string("KmsKeyId") {
            key = try call.usableKey(reference, &state).arn
            encrypted = true
        }
        var cluster = try newCluster(
            id, call: call, state: &state, engine: engine, version: call.p.string("EngineVersion") ?? snapshot.engineVersion,
            username: snapshot.masterUsername, encrypted: encrypted, key: key, storage: snapshot.allocatedStorage)
        if call.p.tags().isEmpty { cluster.tags = snapshot.instanceTags }
        cluster.port = try call.p.int("Port") ?? snapshot.port
        state.rds.clusters[cluster.arn] = cluster
        call.context.mutated = true
        Self.write(cluster, now: call.now, into: &w)
    }

    /// A new cluster in `creating`, placed and parameterised as the request asks, checked in the
    /// caller's account.
    private func newCluster(
        _ id: String, call: RDSCall, state: inout SimState, engine: String, version: String, username: String?, encrypted: Bool,
        key: String?, storage: Int
    ) throws(SimError) -> SimDBCluster {
        let arn = RDSArn(region: call.region, account: call.account, type: "cluster", id: id).text
        guard state.rds.cluster(arn, now: call.now) == nil else { throw RDSErrors.clusterExists(id) }
        let placement = try state.rds.placement(
            account: call.account, subnetGroup: call.p.string("DBSubnetGroupName"), securityGroups: call.p.list("VpcSecurityGroupIds"))
        var parameterGroup = "default.\(Self.family(engine: engine, version: version))"
        if let group = call.p.string("DBClusterParameterGroupName") {
            guard state.rds.network(account: call.account).hasClusterParameterGroup(group) else {
                throw RDSErrors.clusterParameterGroupNotFound(group)
            }
            parameterGroup = group
        }
        let t = call.timings
        return SimDBCluster(
            identifier: id, account: call.account, region: call.region, engine: engine, engineVersion: version, masterUsername: username,
            port: try call.p.int("Port") ?? RDSNames.defaultPort(engine: engine), storageEncrypted: encrypted,
            kmsKeyId: encrypted ? key : nil,
            subnetGroupName: placement.subnetGroup, vpcId: placement.vpcId, securityGroupIds: placement.securityGroups,
            clusterParameterGroupName: parameterGroup, deletionProtection: try call.p.bool("DeletionProtection") ?? false,
            allocatedStorage: storage, members: [], createdAt: call.now, tags: call.p.tags(),
            timeline: SimRDSTimeline(
                from: call.now, [("creating", t.instanceCreating), ("backing-up", t.instanceBackingUp)], then: "available"))
    }
}
