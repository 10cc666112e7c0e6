import Foundation

/// DB snapshots and DB cluster snapshots: create, describe (own, shared, public), share, copy
/// (by ARN across accounts, with the KMS rules), delete. One implementation serves both families;
/// `kind` picks the parameter names, ARN type and error codes.
extension RDSService {
    // MARK: - Finding snapshots

    /// A snapshot the caller may read: its own by identifier or ARN, or another account's by ARN
    /// only and only when shared with the caller (or public). Everything else is "not found" —
    /// a foreign snapshot by bare identifier, or one that is not shared (BC-RDS CopyDBSnapshot
    /// SourceDBSnapshotIdentifier; AWS-NOTES §5.1–5.2).
    func readableSnapshot(
        _ reference: String, _ kind: SimDBSnapshot.Kind, _ call: RDSCall, _ state: SimState
    ) throws(SimError) -> (SimDBSnapshot, foreign: Bool) {
        guard let arn = call.arn(reference, type: kind.rawValue), let snapshot = state.rds.store(kind)[arn.text],
            snapshot.visibleFrom <= call.now
        else { throw Self.notFound(kind, reference) }
        if snapshot.account == call.account { return (snapshot, false) }
        guard snapshot.isShared(with: call.account) else { throw Self.notFound(kind, reference) }
        return (snapshot, true)
    }

    /// A snapshot the caller owns (sharing, attributes and deletion are the owner's).
    func ownSnapshot(_ reference: String, _ kind: SimDBSnapshot.Kind, _ call: RDSCall, _ state: SimState) throws(SimError) -> SimDBSnapshot
    {
        let (snapshot, foreign) = try readableSnapshot(reference, kind, call, state)
        guard !foreign else { throw Self.notFound(kind, reference) }
        return snapshot
    }

    static func notFound(_ kind: SimDBSnapshot.Kind, _ id: String) -> SimError {
        kind == .instance ? RDSErrors.snapshotNotFound(id) : RDSErrors.clusterSnapshotNotFound(id)
    }

    static func exists(_ kind: SimDBSnapshot.Kind, _ id: String) -> SimError {
        kind == .instance ? RDSErrors.snapshotExists(id) : RDSErrors.clusterSnapshotExists(id)
    }

    static func invalidState(_ kind: SimDBSnapshot.Kind, _ s: SimDBSnapshot, _ now: Date) -> SimError {
        let message = "Snapshot \(s.identifier) is not in the available state (status: \(s.status(at: now)))."
        return kind == .instance ? RDSErrors.snapshotState(message) : RDSErrors.clusterSnapshotState(message)
    }

    private static func names(_ kind: SimDBSnapshot.Kind) -> (snapshot: String, source: String, prefix: String) {
        kind == .instance
            ? ("DBSnapshotIdentifier", "DBInstanceIdentifier", "DBSnapshot")
            : ("DBClusterSnapshotIdentifier", "DBClusterIdentifier", "DBClusterSnapshot")
    }

    // MARK: - Operations

    func createSnapshot(
        _ kind: SimDBSnapshot.Kind, _ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter
    ) throws(SimError) {
        let names = Self.names(kind)
        let id = try call.identifier(names.snapshot, max: 255)
        call.context.resource = id
        let sourceReference = try call.p.required(names.source)
        let arn = RDSArn(region: call.region, account: call.account, type: kind.rawValue, id: id).text
        var snapshot: SimDBSnapshot
        switch kind {
        case .instance:
            guard let instanceArn = call.arn(sourceReference, type: "db")?.text,
                let instance = state.rds.instance(instanceArn, now: call.now),
                instance.account == call.account
            else { throw RDSErrors.instanceNotFound(sourceReference) }
            guard instance.clusterIdentifier == nil else {
                throw RDSErrors.instanceState(
                    "The instance \(instance.identifier) is a member of a DB cluster; snapshot the cluster with CreateDBClusterSnapshot.")
            }
            // A snapshot needs the instance `available` (not creating, backing-up, modifying, deleting).
            let status = instance.status(at: call.now)
            guard status == "available" else {
                throw RDSErrors.instanceState(
                    "Cannot create a snapshot because the database instance \(instance.identifier) is not currently in the available state (status: \(status))."
                )
            }
            guard state.rds.snapshots[arn] == nil else { throw RDSErrors.snapshotExists(id) }
            snapshot = self.snapshot(of: instance, id: id, type: "manual", call: call, tags: call.p.tags())
            // A single-AZ instance shows `backing-up` while the snapshot is taken.
            state.rds.instances[instanceArn]?.timeline.schedule(
                from: call.now, [("backing-up", call.timings.snapshotCreating)], then: "available")
        case .cluster:
            guard let clusterArn = call.arn(sourceReference, type: "cluster")?.text,
                let cluster = state.rds.cluster(clusterArn, now: call.now),
                cluster.account == call.account
            else { throw RDSErrors.clusterNotFound(sourceReference) }
            let status = cluster.status(at: call.now)
            guard status == "available" else {
                throw RDSErrors.clusterState("DbCluster \(cluster.identifier) is not currently in the available state (status: \(status)).")
            }
            guard state.rds.clusterSnapshots[arn] == nil else { throw RDSErrors.clusterSnapshotExists(id) }
            snapshot = clusterSnapshot(of: cluster, id: id, call: call, tags: call.p.tags())
        }
        state.rds.put(snapshot)
        call.context.mutated = true
        Self.write(snapshot, now: call.now, into: &w)
    }

    func describeSnapshots(
        _ kind: SimDBSnapshot.Kind, _ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter
    ) throws(SimError) {
        let names = Self.names(kind)
        let p = call.p
        let type = p.string("SnapshotType")
        if let type, !["automated", "manual", "shared", "public", "awsbackup"].contains(type) {
            throw RDSErrors.invalidValue("Invalid snapshot type: \(type)")
        }
        // BC-RDS DescribeDBSnapshots SnapshotType: no type means the caller's automated and manual
        // snapshots; shared and public ones only with SnapshotType or IncludeShared/IncludePublic
        // (which do not apply to `manual` or `automated`).
        let sharedFlag = try p.bool("IncludeShared") ?? false
        let publicFlag = try p.bool("IncludePublic") ?? false
        let includeShared = type == "shared" || (type == nil && sharedFlag)
        let includePublic = type == "public" || (type == nil && publicFlag)
        let ownTypes: Set<String> = type.map { ["manual", "automated"].contains($0) ? [$0] : [] } ?? ["manual", "automated"]

        var rows: [(SimDBSnapshot, String?)] = []
        for s in state.rds.store(kind).values.sorted(by: RDSState.snapshotOrder) where s.visibleFrom <= call.now && s.region == call.region
        {
            if s.account == call.account {
                if ownTypes.contains(s.snapshotType) { rows.append((s, nil)) }
            } else if s.snapshotType == "manual" {
                if includeShared && s.sharedWith.contains(call.account) {
                    rows.append((s, "shared"))
                } else if includePublic && s.sharedWith.contains("all") {
                    rows.append((s, "public"))
                }
            }
        }
        if let reference = p.string(names.snapshot) {
            call.context.resource = reference
            let arn = call.arn(reference, type: kind.rawValue)?.text
            rows = rows.filter { $0.0.arn == arn }
            guard !rows.isEmpty else { throw Self.notFound(kind, reference) }
        }
        if let source = p.string(names.source) {
            call.context.resource = call.context.resource ?? source
            let id = (RDSArn(source)?.id ?? source).lowercased()
            rows = rows.filter { $0.0.sourceIdentifier == id }
        }
        for filter in p.filters() {
            switch filter.name {
            case "db-instance-id" where kind == .instance, "db-cluster-id" where kind == .cluster:
                rows = rows.filter { row in
                    filter.values.contains { ($0.hasPrefix("arn:") ? RDSArn($0)?.id : $0.lowercased()) == row.0.sourceIdentifier }
                }
            case "db-snapshot-id" where kind == .instance, "db-cluster-snapshot-id" where kind == .cluster:
                rows = rows.filter { filter.values.contains($0.0.identifier) || filter.values.contains($0.0.arn) }
            case "snapshot-type": rows = rows.filter { filter.values.contains($0.1 ?? $0.0.snapshotType) }
            case "engine": rows = rows.filter { filter.values.contains($0.0.engine) }
            default: throw RDSErrors.invalidValue("Unrecognized filter name: \(filter.name).")
            }
        }
        let page = try call.page(rows)
        w.element("\(names.prefix)s") { x in for row in page.items { Self.write(row.0, now: call.now, snapshotType: row.1, into: &x) } }
        w.leaf("Marker", page.marker)
    }

    func modifySnapshotAttribute(
        _ kind: SimDBSnapshot.Kind, _ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter
    ) throws(SimError) {
        let names = Self.names(kind)
        let reference = try call.p.required(names.snapshot)
        call.context.resource = reference
        var snapshot = try ownSnapshot(reference, kind, call, state)
        let attribute = try call.p.required("AttributeName")
        guard attribute == "restore" else {
            throw RDSErrors.invalidValue("Invalid snapshot attribute name: \(attribute). The only supported attribute is restore.")
        }
        let add = call.p.list("ValuesToAdd")
        let remove = call.p.list("ValuesToRemove")
        for value in add + remove where value != "all" && !(value.count == 12 && value.allSatisfy(\.isNumber)) {
            // moto accepts any string here (MOTO-NOTES "Gaps" 12); AWS takes account IDs or `all`.
            throw RDSErrors.invalidValue("Invalid account ID \(value): the restore attribute takes 12-digit AWS account IDs or all.")
        }
        if !add.isEmpty {
            // Only manual snapshots can be shared (RDSUG-2023 USER_ShareSnapshot.md).
            guard snapshot.snapshotType == "manual" else {
                let message =
                    "Only manual snapshots can be shared; copy the automated snapshot \(snapshot.identifier) to a manual one first."
                throw kind == .instance ? RDSErrors.snapshotState(message) : RDSErrors.clusterSnapshotState(message)
            }
            guard snapshot.status(at: call.now) == "available" else { throw Self.invalidState(kind, snapshot, call.now) }
            if snapshot.encrypted {
                // AWS-NOTES §5.1 / §5.5: encrypted snapshots are shared with explicit accounts only,
                // and never when encrypted with the account's default aws/rds key.
                guard !add.contains("all") else {
                    throw RDSErrors.invalidValue(
                        "Encrypted snapshots cannot be shared publicly; share \(snapshot.identifier) with specific account IDs.")
                }
                if let key = snapshot.kmsKeyId, state.kms.keys[key]?.manager == .aws {
                    throw RDSErrors.invalidValue(
                        "The snapshot \(snapshot.identifier) is encrypted with the default AWS managed KMS key (aws/rds) and cannot be shared. Copy it with a customer managed key that allows the target account, and share the copy."
                    )
                }
            }
        }
        // RDSUG-2023 USER_ShareSnapshot.md: a snapshot with persistent or permanent options cannot
        // be shared, except Oracle Timezone and OLS (AWS-NOTES-2 OG-2). No error code is documented.
        if !add.isEmpty, let option = snapshot.carriedOptions.first(where: { !$0.shareableAcrossAccounts }) {
            throw RDSErrors.invalidValue(
                "The snapshot \(snapshot.identifier) has the persistent or permanent option \(option.name) and cannot be shared with another account."
            )
        }
        var shared = snapshot.sharedWith
        for value in add where !shared.contains(value) { shared.append(value) }
        shared.removeAll { remove.contains($0) }
        guard shared.filter({ $0 != "all" }).count <= 20 else { throw RDSErrors.sharedQuota(snapshot.identifier) }
        snapshot.sharedWith = shared
        state.rds.put(snapshot)
        call.context.mutated = true
        Self.writeAttributes(snapshot, into: &w)
    }

    func describeSnapshotAttributes(
        _ kind: SimDBSnapshot.Kind, _ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter
    ) throws(SimError) {
        let reference = try call.p.required(Self.names(kind).snapshot)
        call.context.resource = reference
        Self.writeAttributes(try ownSnapshot(reference, kind, call, state), into: &w)
    }

    /// CopyDBSnapshot / CopyDBClusterSnapshot. Across accounts the source must be named by ARN and
    /// shared with the caller; an encrypted shared source needs KmsKeyId (the caller's own key),
    /// and its key must be a customer managed key whose policy lets the caller use it, else
    /// KMSKeyNotAccessibleFault (AWS-NOTES §5.2, §5.5; BC-RDS CopyDBSnapshot KmsKeyId).
    func copySnapshot(
        _ kind: SimDBSnapshot.Kind, _ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter
    ) throws(SimError) {
        let prefix = kind == .instance ? "DBSnapshotIdentifier" : "DBClusterSnapshotIdentifier"
        let sourceReference = try call.p.required("Source\(prefix)")
        let target = try call.identifier("Target\(prefix)", max: 255)
        call.context.resource = target
        let (source, foreign) = try readableSnapshot(sourceReference, kind, call, state)
        guard source.status(at: call.now) == "available" else { throw Self.invalidState(kind, source, call.now) }
        let targetArn = RDSArn(region: call.region, account: call.account, type: kind.rawValue, id: target).text
        guard state.rds.store(kind)[targetArn] == nil else { throw Self.exists(kind, target) }
        let crossRegion = source.region != call.region
        let keyReference = call.p.string("KmsKeyId")

        var encrypted = source.encrypted
        var key = source.kmsKeyId
        if source.encrypted {
            if foreign && crossRegion {
                // RDSUG-2023 USER_CopySnapshot.md: encrypted shared snapshots copy within their region only.
                throw RDSErrors.invalidValue(
                    "An encrypted snapshot shared from another account can be copied only in its own region (\(source.region)).")
            }
            if keyReference == nil && foreign {
                throw RDSErrors.invalidValue(
                    "The source snapshot \(source.arn) is encrypted and shared from another account: KmsKeyId is required (a key in your account to encrypt the copy with)."
                )
            }
            if keyReference == nil && crossRegion {
                // Observed wording (1Strategy/rds-oracle-cross-account-cross-region-dr#1).
                throw RDSErrors.invalidValue("Must specify new KMS key for cross region encrypted snapshot copy.")
            }
            if let sourceKey = source.kmsKeyId,
                !state.kms.snapshotAccess(
                    keyArn: sourceKey, account: call.account, principalArn: call.context.principal.arn, region: source.region
                ).isAllowed
            {
                throw RDSErrors.kmsKeyNotAccessible(sourceKey)
            }
            if let keyReference { key = try call.usableKey(keyReference, &state).arn }
        } else if let keyReference {
            // BC-RDS: KmsKeyId on an unencrypted DB snapshot encrypts the copy; on an unencrypted
            // cluster snapshot it is an error.
            guard kind == .instance else {
                throw RDSErrors.invalidValue("KmsKeyId can't be specified when copying an unencrypted DB cluster snapshot.")
            }
            encrypted = true
            key = try call.usableKey(keyReference, &state).arn
        }

        var copy = source
        copy.identifier = target
        copy.account = call.account
        copy.region = call.region
        copy.snapshotType = "manual"
        copy.encrypted = encrypted
        copy.kmsKeyId = encrypted ? key : nil
        copy.createdAt = call.now
        copy.visibleFrom = call.now
        copy.pendingStatus = "copying"
        copy.readyAt = call.now.addingTimeInterval(call.timings.snapshotCopying)
        // BC-RDS DBSnapshot.SourceDBSnapshotIdentifier: set for cross-account or cross-region copies.
        copy.sourceSnapshotArn = foreign || crossRegion || kind == .cluster ? source.arn : nil
        copy.sourceRegion = crossRegion ? source.region : nil
        copy.sharedWith = []
        // CopyTags defaults to false (AWS-NOTES §5.2).
        copy.tags = (try call.p.bool("CopyTags") ?? false) ? source.tags : [:]
        copy.tags.merge(call.p.tags()) { $1 }
        state.rds.put(copy)
        call.context.mutated = true
        Self.write(copy, now: call.now, into: &w)
    }

    /// DeleteDBSnapshot / DeleteDBClusterSnapshot: the owner's manual snapshots, once `available`.
    func deleteSnapshot(
        _ kind: SimDBSnapshot.Kind, _ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter
    ) throws(SimError) {
        let reference = try call.p.required(Self.names(kind).snapshot)
        call.context.resource = reference
        var snapshot = try ownSnapshot(reference, kind, call, state)
        guard snapshot.snapshotType == "manual" else {
            let message =
                "Automated snapshot \(snapshot.identifier) cannot be deleted; it goes with the \(kind == .instance ? "instance" : "cluster")'s backups."
            throw kind == .instance ? RDSErrors.snapshotState(message) : RDSErrors.clusterSnapshotState(message)
        }
        guard snapshot.status(at: call.now) == "available" else { throw Self.invalidState(kind, snapshot, call.now) }
        state.rds.remove(snapshot)
        call.context.mutated = true
        snapshot.pendingStatus = "deleted"
        snapshot.readyAt = .distantFuture
        Self.write(snapshot, now: call.now, into: &w)
    }

    /// A manual snapshot of `cluster` starting now, `creating` for `snapshotCreating`.
    func clusterSnapshot(of cluster: SimDBCluster, id: String, call: RDSCall, tags: [String: String]) -> SimDBSnapshot {
        SimDBSnapshot(
            kind: .cluster, identifier: id, account: cluster.account, region: cluster.region, sourceIdentifier: cluster.identifier,
            snapshotType: "manual", engine: cluster.engine, engineVersion: cluster.engineVersion, instanceClass: "db.r6g.large",
            allocatedStorage: cluster.allocatedStorage, storageType: "aurora", masterUsername: cluster.masterUsername, port: cluster.port,
            vpcId: cluster.vpcId, availabilityZone: "\(call.region)a", optionGroupName: nil, encrypted: cluster.storageEncrypted,
            kmsKeyId: cluster.kmsKeyId, createdAt: call.now, originalCreatedAt: call.now, visibleFrom: call.now,
            pendingStatus: "creating", readyAt: call.now.addingTimeInterval(call.timings.snapshotCreating), sourceSnapshotArn: nil,
            sourceRegion: nil, sharedWith: [], tags: tags, instanceTags: cluster.tags)
    }
}
