import Foundation

/// DB instances: describe, create, restore from a snapshot, delete, tag.
extension RDSService {
    static let engines: Set<String> = [
        "mysql", "mariadb", "postgres", "aurora-mysql", "aurora-postgresql", "oracle-ee", "oracle-se2", "sqlserver-ee",
        "sqlserver-se", "sqlserver-ex", "sqlserver-web",
    ]

    static func defaultVersion(_ engine: String) -> String {
        switch engine {
        case "mysql": "8.0.40"
        case "mariadb": "10.11.9"
        case "postgres": "16.4"
        case "aurora-mysql": "8.0.mysql_aurora.3.08.0"
        case "aurora-postgresql": "16.4"
        default: "19.0.0.0.ru-2024-10.rur-2024-10.r1"
        }
    }

    func describeDBInstances(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        var items = state.rds.instances(account: call.account, now: call.now).filter { $0.region == call.region }
        if let reference = call.p.string("DBInstanceIdentifier") {
            call.context.resource = reference
            let arn = call.arn(reference, type: "db")?.text
            items = items.filter { $0.arn == arn }
            guard !items.isEmpty else { throw RDSErrors.instanceNotFound(reference) }
        }
        for filter in call.p.filters() {
            switch filter.name {
            case "db-instance-id": items = items.filter { filter.values.contains($0.identifier) || filter.values.contains($0.arn) }
            case "db-cluster-id": items = items.filter { $0.clusterIdentifier.map(filter.values.contains) ?? false }
            case "engine": items = items.filter { filter.values.contains($0.engine) }
            case "dbi-resource-id": items = items.filter { filter.values.contains($0.dbiResourceId) }
            default: throw RDSErrors.invalidValue("Unrecognized filter name: \(filter.name).")
            }
        }
        let page = try call.page(items)
        w.element("DBInstances") { x in for i in page.items { Self.write(i, now: call.now, into: &x) } }
        w.leaf("Marker", page.marker)
    }

    func createDBInstance(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let id = try call.identifier("DBInstanceIdentifier")
        call.context.resource = id
        let instanceClass = try call.p.required("DBInstanceClass")
        let engine = try call.p.required("Engine").lowercased()
        guard Self.engines.contains(engine) else { throw RDSErrors.invalidValue("Invalid DB engine: \(engine)") }
        let arn = RDSArn(region: call.region, account: call.account, type: "db", id: id).text
        guard state.rds.instance(arn, now: call.now) == nil else { throw RDSErrors.instanceExists(id) }
        let p = call.p

        var instance: SimDBInstance
        if let clusterId = p.string("DBClusterIdentifier") {
            // A cluster member: storage, credentials, encryption and network come from the cluster.
            let clusterArn = RDSArn(region: call.region, account: call.account, type: "cluster", id: clusterId).text
            guard let cluster = state.rds.cluster(clusterArn, now: call.now) else { throw RDSErrors.clusterNotFound(clusterId) }
            guard cluster.engine == engine else {
                throw RDSErrors.invalidCombination(
                    "The engine name requested for your DB instance (\(engine)) doesn't match the engine name of your DB cluster (\(cluster.engine))."
                )
            }
            guard cluster.status(at: call.now) == "available" || cluster.status(at: call.now) == "backing-up" else {
                throw RDSErrors.clusterState("DB cluster \(cluster.identifier) is not in the available state.")
            }
            instance = try newInstance(
                id, call: call, state: &state, engine: engine, version: cluster.engineVersion, instanceClass: instanceClass,
                storage: cluster.allocatedStorage, username: cluster.masterUsername, port: cluster.port,
                encrypted: cluster.storageEncrypted, key: cluster.kmsKeyId, subnetGroup: cluster.subnetGroupName,
                securityGroups: cluster.securityGroupIds, tags: p.tags())
            instance.clusterIdentifier = cluster.identifier
            instance.backupRetentionPeriod = 0
            state.rds.clusters[clusterArn]?.members.append(id)
        } else {
            guard !engine.hasPrefix("aurora") else {
                throw RDSErrors.invalidCombination("Aurora DB instances must be created in a DB cluster: pass DBClusterIdentifier.")
            }
            guard let username = p.string("MasterUsername") else {
                throw RDSErrors.invalidValue("The parameter MasterUsername must be provided and must not be blank.")
            }
            if try p.bool("ManageMasterUserPassword") != true {
                guard let password = p.string("MasterUserPassword") else {
                    throw RDSErrors.invalidValue("The parameter MasterUserPassword must be provided and must not be blank.")
                }
                guard password.count >= 8 else {
                    throw RDSErrors.invalidValue(
                        "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.")
                }
            }
            let storage = try p.int("AllocatedStorage") ?? 0
            guard (20...65536).contains(storage) else {
                throw RDSErrors.invalidValue(
                    "Invalid storage size for engine name \(engine) and storage type \(p.string("StorageType") ?? "gp2"): \(storage)")
            }
            let encrypted = try p.bool("StorageEncrypted") ?? false
            var key: String?
            if let reference = p.string("KmsKeyId") {
                guard encrypted else {
                    throw RDSErrors.invalidCombination("KmsKeyId can be specified only when StorageEncrypted is true.")
                }
                key = try call.usableKey(reference, &state).arn
            } else if encrypted {
                key = state.kms.awsManagedKey(account: call.account, region: call.region, now: call.now).arn
            }
            instance = try newInstance(
                id, call: call, state: &state, engine: engine, version: p.string("EngineVersion") ?? Self.defaultVersion(engine),
                instanceClass: instanceClass, storage: storage, username: username,
                port: try p.int("Port") ?? RDSNames.defaultPort(engine: engine), encrypted: encrypted, key: key,
                subnetGroup: p.string("DBSubnetGroupName"), securityGroups: p.list("VpcSecurityGroupIds"), tags: p.tags())
            instance.backupRetentionPeriod = try p.int("BackupRetentionPeriod") ?? 1
        }
        instance.storageType = p.string("StorageType") ?? instance.storageType
        try applyGroups(&instance, call: call, state: state)
        instance.multiAZ = try p.bool("MultiAZ") ?? false
        instance.publiclyAccessible = try p.bool("PubliclyAccessible") ?? false
        instance.deletionProtection = try p.bool("DeletionProtection") ?? false
        add(instance, call: call, state: &state)
        call.context.mutated = true
        Self.write(instance, now: call.now, into: &w)
    }

    func restoreDBInstanceFromDBSnapshot(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let id = try call.identifier("DBInstanceIdentifier")
        call.context.resource = id
        guard let reference = call.p.string("DBSnapshotIdentifier") else {
            throw RDSErrors.invalidCombination("Either DBSnapshotIdentifier or DBClusterSnapshotIdentifier must be specified.")
        }
        let (snapshot, foreign) = try readableSnapshot(reference, .instance, call, state)
        // RDSUG-2023 USER_ShareSnapshot.md: an instance cannot be restored from a snapshot that is
        // both shared and encrypted; copy it first and restore the copy (AWS-NOTES §5.2).
        // Unencrypted shared snapshots can be restored directly, by ARN. AWS names no error code
        // for the refusal; InvalidParameterValue is what RDS uses for a request it will not do.
        if foreign && snapshot.encrypted {
            throw RDSErrors.invalidValue(
                "The snapshot \(snapshot.arn) is encrypted and shared from another account; it cannot be restored directly. Copy it with CopyDBSnapshot (with your own KmsKeyId) and restore the copy."
            )
        }
        guard snapshot.status(at: call.now) == "available" else {
            throw RDSErrors.snapshotState(
                "Snapshot \(snapshot.identifier) is not in available state (status: \(snapshot.status(at: call.now))).")
        }
        let arn = RDSArn(region: call.region, account: call.account, type: "db", id: id).text
        guard state.rds.instance(arn, now: call.now) == nil else { throw RDSErrors.instanceExists(id) }
        // The restored storage stays under the snapshot's key: RestoreDBInstanceFromDBSnapshot takes
        // no KmsKeyId (AWS-NOTES §5.3), so the caller must be able to use that key.
        if let key = snapshot.kmsKeyId,
            !state.kms.snapshotAccess(keyArn: key, account: call.account, principalArn: call.context.principal.arn, region: call.region)
                .isAllowed
        {
            throw RDSErrors.kmsKeyNotAccessible(key)
        }
        let p = call.p
        var instance = try newInstance(
            id, call: call, state: &state, engine: snapshot.engine, version: snapshot.engineVersion,
            instanceClass: p.string("DBInstanceClass") ?? snapshot.instanceClass, storage: snapshot.allocatedStorage,
            username: snapshot.masterUsername, port: try p.int("Port") ?? snapshot.port, encrypted: snapshot.encrypted,
            key: snapshot.kmsKeyId, subnetGroup: p.string("DBSubnetGroupName"), securityGroups: p.list("VpcSecurityGroupIds"),
            tags: p.tags().isEmpty ? snapshot.instanceTags : p.tags())
        instance.storageType = p.string("StorageType") ?? snapshot.storageType
        try applyGroups(&instance, call: call, state: state)
        try restoreOptionGroup(&instance, from: snapshot, call: call, state: state)
        instance.multiAZ = try p.bool("MultiAZ") ?? false
        instance.publiclyAccessible = try p.bool("PubliclyAccessible") ?? false
        instance.deletionProtection = try p.bool("DeletionProtection") ?? false
        instance.backupRetentionPeriod = try p.int("BackupRetentionPeriod") ?? 1
        add(instance, call: call, state: &state)
        call.context.mutated = true
        Self.write(instance, now: call.now, into: &w)
    }

    func deleteDBInstance(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let reference = try call.p.required("DBInstanceIdentifier")
        call.context.resource = reference
        guard let arn = call.arn(reference, type: "db")?.text, var instance = state.rds.instance(arn, now: call.now),
            instance.account == call.account
        else { throw RDSErrors.instanceNotFound(reference) }
        let status = instance.status(at: call.now)
        guard status != "deleting" else { throw RDSErrors.instanceState("Instance \(instance.identifier) is already being deleted.") }
        // MOTO-NOTES §4: moto deletes a protected instance's neighbours fine but lets a delete
        // without a final-snapshot choice through; AWS requires one (BC-RDS SkipFinalSnapshot).
        guard !instance.deletionProtection else {
            throw RDSErrors.invalidCombination("Cannot delete protected DB Instance, please disable deletion protection and try again.")
        }
        var deleting = call.timings.instanceDeleting
        if instance.clusterIdentifier == nil {
            if try Self.takesFinalSnapshot(call) {
                guard status == "available" else {
                    throw RDSErrors.instanceState(
                        "Instance \(instance.identifier) is not in the available state; a final snapshot needs it available (status: \(status))."
                    )
                }
                let snapshotId = try call.identifier("FinalDBSnapshotIdentifier", max: 255)
                let snapshotArn = RDSArn(region: call.region, account: call.account, type: "snapshot", id: snapshotId).text
                guard state.rds.snapshots[snapshotArn] == nil else { throw RDSErrors.snapshotExists(snapshotId) }
                state.rds.put(snapshot(of: instance, id: snapshotId, type: "manual", call: call, tags: [:]))
                deleting += call.timings.snapshotCreating
            }
        }
        if try call.p.bool("DeleteAutomatedBackups") ?? true {
            for s in state.rds.snapshots.values
            where s.account == call.account && s.snapshotType == "automated" && s.sourceIdentifier == instance.identifier {
                state.rds.remove(s)
            }
        }
        if let clusterId = instance.clusterIdentifier {
            let clusterArn = RDSArn(region: instance.region, account: instance.account, type: "cluster", id: clusterId).text
            state.rds.clusters[clusterArn]?.members.removeAll { $0 == instance.identifier }
        }
        instance.timeline.schedule(from: call.now, [("deleting", max(deleting, 1))], then: "deleted")
        state.rds.instances[arn] = instance
        call.context.mutated = true
        Self.write(instance, now: call.now, into: &w)
    }

    func addTagsToResource(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let name = try call.p.required("ResourceName")
        call.context.resource = name
        let tags = call.p.tags()
        guard !tags.isEmpty else { throw RDSErrors.missing("Tags") }
        for key in tags.keys where key.lowercased().hasPrefix("aws:") || key.lowercased().hasPrefix("rds:") {
            throw RDSErrors.invalidValue("Tag keys cannot start with the reserved prefix: \(key)")
        }
        guard let arn = RDSArn(name) else { throw RDSErrors.invalidValue("Invalid resource name: \(name)") }
        // Tags belong to the owner: another account's ARN is simply not found.
        let own = arn.account == call.account
        switch arn.type {
        case "db":
            guard own, state.rds.instance(arn.text, now: call.now) != nil else { throw RDSErrors.instanceNotFound(arn.id) }
            state.rds.instances[arn.text]?.tags.merge(tags) { $1 }
        case "snapshot":
            guard own, state.rds.snapshots[arn.text] != nil else { throw RDSErrors.snapshotNotFound(arn.id) }
            state.rds.snapshots[arn.text]?.tags.merge(tags) { $1 }
        case "cluster":
            guard own, state.rds.cluster(arn.text, now: call.now) != nil else { throw RDSErrors.clusterNotFound(arn.id) }
            state.rds.clusters[arn.text]?.tags.merge(tags) { $1 }
        case "cluster-snapshot":
            guard own, state.rds.clusterSnapshots[arn.text] != nil else { throw RDSErrors.clusterSnapshotNotFound(arn.id) }
            state.rds.clusterSnapshots[arn.text]?.tags.merge(tags) { $1 }
        default:
            throw RDSErrors.invalidValue("Unsupported resource type in \(name).")
        }
        call.context.mutated = true
    }

    // MARK: - Building instances

    /// A new instance in `creating`, placed in a checked subnet group and security groups.
    func newInstance(
        _ id: String, call: RDSCall, state: inout SimState, engine: String, version: String, instanceClass: String, storage: Int,
        username: String?, port: Int, encrypted: Bool, key: String?, subnetGroup: String?, securityGroups: [String],
        tags: [String: String]
    ) throws(SimError) -> SimDBInstance {
        let placement = try state.rds.placement(account: call.account, subnetGroup: subnetGroup, securityGroups: securityGroups)
        let t = call.timings
        let arn = RDSArn(region: call.region, account: call.account, type: "db", id: id).text
        return SimDBInstance(
            identifier: id, account: call.account, region: call.region, engine: engine, engineVersion: version,
            instanceClass: instanceClass, allocatedStorage: storage, storageType: "gp3", masterUsername: username, port: port,
            storageEncrypted: encrypted, kmsKeyId: encrypted ? key : nil, subnetGroupName: placement.subnetGroup,
            vpcId: placement.vpcId, securityGroupIds: placement.securityGroups,
            parameterGroupName: "default.\(Self.family(engine: engine, version: version))",
            optionGroupName: "default:\(engine)-\(version.split(separator: ".").prefix(2).joined(separator: "-"))", multiAZ: false,
            publiclyAccessible: false, deletionProtection: false, backupRetentionPeriod: 1, clusterIdentifier: nil,
            availabilityZone: "\(call.region)a",
            dbiResourceId: RDSNames.resourceId(arn + "\(call.now.timeIntervalSince1970)", prefix: "db"),
            createdAt: call.now, tags: tags,
            timeline: SimRDSTimeline(
                from: call.now, [("creating", t.instanceCreating), ("backing-up", t.instanceBackingUp)], then: "available"))
    }

    /// DBParameterGroupName and OptionGroupName, checked in the caller's account.
    func applyGroups(_ instance: inout SimDBInstance, call: RDSCall, state: SimState) throws(SimError) {
        let network = state.rds.network(account: call.account)
        if let group = call.p.string("DBParameterGroupName") {
            guard network.hasParameterGroup(group) else { throw RDSErrors.parameterGroupNotFound(group) }
            instance.parameterGroupName = group
        }
        if let name = call.p.string("OptionGroupName") {
            guard let group = network.optionGroup(name) else { throw RDSErrors.optionGroupNotFound(name) }
            instance.optionGroupName = group.name
            instance.carriedOptions = group.carriedOptions
        }
    }

    /// Stores a new instance and, when it keeps backups, the automated snapshot RDS takes while
    /// it is `backing-up` (moto creates it at once, MOTO-NOTES §4).
    func add(_ instance: SimDBInstance, call: RDSCall, state: inout SimState) {
        state.rds.purge(now: call.now)
        state.rds.instances[instance.arn] = instance
        guard instance.backupRetentionPeriod > 0, instance.clusterIdentifier == nil else { return }
        let backupStart = call.now.addingTimeInterval(call.timings.instanceCreating)
        var automated = snapshot(
            of: instance, id: "rds:\(instance.identifier)-\(Self.stamp(backupStart))", type: "automated", call: call, tags: [:])
        automated.visibleFrom = backupStart
        automated.createdAt = backupStart
        automated.originalCreatedAt = backupStart
        automated.readyAt = backupStart.addingTimeInterval(call.timings.instanceBackingUp)
        state.rds.put(automated)
    }

    /// A snapshot of `instance` starting now, `creating` for `snapshotCreating`.
    func snapshot(of instance: SimDBInstance, id: String, type: String, call: RDSCall, tags: [String: String]) -> SimDBSnapshot {
        SimDBSnapshot(
            kind: .instance, identifier: id, account: instance.account, region: instance.region, sourceIdentifier: instance.identifier,
            snapshotType: type, engine: instance.engine, engineVersion: instance.engineVersion, instanceClass: instance.instanceClass,
            allocatedStorage: instance.allocatedStorage, storageType: instance.storageType, masterUsername: instance.masterUsername,
            port: instance.port, vpcId: instance.vpcId, availabilityZone: instance.availabilityZone,
            optionGroupName: instance.optionGroupName, encrypted: instance.storageEncrypted, kmsKeyId: instance.kmsKeyId,
            createdAt: call.now, originalCreatedAt: call.now, visibleFrom: call.now, pendingStatus: "creating",
            readyAt: call.now.addingTimeInterval(call.timings.snapshotCreating), sourceSnapshotArn: nil, sourceRegion: nil,
            sharedWith: [], tags: tags, instanceTags: instance.tags, carriedOptions: instance.carriedOptions)
    }

    /// DeleteDBInstance's and DeleteDBCluster's final-snapshot choice: `SkipFinalSnapshot`
    /// (default false) or a `FinalDBSnapshotIdentifier`, one of the two.
    static func takesFinalSnapshot(_ call: RDSCall) throws(SimError) -> Bool {
        let skip = try call.p.bool("SkipFinalSnapshot") ?? false
        let finalId = call.p.string("FinalDBSnapshotIdentifier")
        if skip && finalId != nil {
            throw RDSErrors.invalidCombination("Cannot specify FinalDBSnapshotIdentifier when SkipFinalSnapshot is enabled.")
        }
        if !skip && finalId == nil {
            throw RDSErrors.invalidCombination("FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.")
        }
        return !skip
    }

    static func family(engine: String, version: String) -> String {
        let parts = version.split(separator: ".")
        switch engine {
        case "postgres", "aurora-postgresql": return "\(engine == "postgres" ? "postgres" : "aurora-postgresql")\(parts.first ?? "16")"
        case "aurora-mysql": return "aurora-mysql8.0"
        default: return "\(engine)\(parts.prefix(2).joined(separator: "."))"
        }
    }

    /// `yyyy-MM-dd-HH-mm`, the suffix of automated snapshot names.
    static func stamp(_ date: Date) -> String {
        let iso = QueryXMLWriter.timestamp(date)
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: "-").replacingOccurrences(of: ":", with: "-")
    }
}
