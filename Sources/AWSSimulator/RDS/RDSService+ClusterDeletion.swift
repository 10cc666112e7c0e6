import Foundation

/// What undoing an Aurora move needs of the simulator: DeleteDBCluster, and the read-only
/// DescribeDBClusterParameterGroups a cluster restore's preflight makes (BC-RDS).
extension RDSService {
    /// DeleteDBCluster. Refused while deletion protection is on (InvalidParameterCombination) and
    /// while the cluster has members not being deleted (InvalidDBClusterStateFault: AWS deletes a
    /// cluster's instances first); `SkipFinalSnapshot` (default false) or a
    /// `FinalDBSnapshotIdentifier` is required, as for instances. The cluster is `deleting` for the
    /// instance deletion time, then gone.
    func deleteDBCluster(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let reference = try call.p.required("DBClusterIdentifier")
        call.context.resource = reference
        guard let arn = call.arn(reference, type: "cluster")?.text, var cluster = state.rds.cluster(arn, now: call.now),
            cluster.account == call.account
        else { throw RDSErrors.clusterNotFound(reference) }
        let status = cluster.status(at: call.now)
        guard status != "deleting" else { throw RDSErrors.clusterState("Cluster \(cluster.identifier) is already being deleted.") }
        guard !cluster.deletionProtection else {
            throw RDSErrors.invalidCombination("Cannot delete protected Cluster, please disable deletion protection and try again.")
        }
        guard cluster.members.isEmpty else {
            throw RDSErrors.clusterState("Cluster cannot be deleted, it still contains DB instances in non-deleting state.")
        }
        var deleting = call.timings.instanceDeleting
        if try Self.takesFinalSnapshot(call) {
            guard status == "available" else {
                throw RDSErrors.clusterState(
                    "Cluster \(cluster.identifier) is not in the available state; a final snapshot needs it available (status: \(status)).")
            }
            let snapshotId = try call.identifier("FinalDBSnapshotIdentifier", max: 255)
            let snapshotArn = RDSArn(region: call.region, account: call.account, type: "cluster-snapshot", id: snapshotId).text
            guard state.rds.clusterSnapshots[snapshotArn] == nil else { throw RDSErrors.clusterSnapshotExists(snapshotId) }
            state.rds.put(clusterSnapshot(of: cluster, id: snapshotId, call: call, tags: [:]))
            deleting += call.timings.snapshotCreating
        }
        cluster.timeline.schedule(from: call.now, [("deleting", max(deleting, 1))], then: "deleted")
        state.rds.clusters[arn] = cluster
        call.context.mutated = true
        Self.write(cluster, now: call.now, into: &w)
    }

    /// DB cluster parameter groups of the caller's account: the seeded ones and the `default.*`
    /// groups its clusters use; one by `DBClusterParameterGroupName` (any `default.*` name exists,
    /// as for a restore; DBClusterParameterGroupNotFound, 404, otherwise).
    func describeDBClusterParameterGroups(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let network = state.rds.network(account: call.account)
        var names: [String]
        if let name = call.p.string("DBClusterParameterGroupName") {
            call.context.resource = name
            guard network.hasClusterParameterGroup(name) else { throw RDSErrors.clusterParameterGroupNotFound(name) }
            names = [name.lowercased()]
        } else {
            let defaults = state.rds.clusters(account: call.account, now: call.now).map(\.clusterParameterGroupName)
                .filter { $0.hasPrefix("default.") }
            names = Set(network.clusterParameterGroups).union(defaults).sorted()
        }
        let page = try call.page(names)
        w.element("DBClusterParameterGroups") { x in
            for name in page.items {
                x.element("DBClusterParameterGroup") { g in
                    g.leaf("DBClusterParameterGroupName", name)
                    if name.hasPrefix("default.") { g.leaf("DBParameterGroupFamily", String(name.dropFirst("default.".count))) }
                    g.leaf("Description", name)
                    g.leaf(
                        "DBClusterParameterGroupArn", RDSArn(region: call.region, account: call.account, type: "cluster-pg", id: name).text)
                }
            }
        }
        w.leaf("Marker", page.marker)
    }
}
