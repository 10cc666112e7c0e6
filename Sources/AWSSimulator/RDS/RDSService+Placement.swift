import Foundation

/// The placement lookups a restore's preflight makes in the target account: DB subnet groups and
/// DB parameter groups, read from the same `SimRDSNetwork` the restore itself checks (BC-RDS
/// `DescribeDBSubnetGroups`, `DescribeDBParameterGroups`).
extension RDSService {
    /// Subnet groups of the caller's account, `default` included; one by `DBSubnetGroupName`
    /// (DBSubnetGroupNotFoundFault, 404, when absent). `Filters` is accepted and ignored: the API
    /// reference says "This parameter isn't currently supported".
    func describeDBSubnetGroups(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        var groups = state.rds.network(account: call.account).allSubnetGroups(account: call.account)
        if let name = call.p.string("DBSubnetGroupName") {
            call.context.resource = name
            groups = groups.filter { $0.name == name.lowercased() }
            guard !groups.isEmpty else { throw RDSErrors.subnetGroupNotFound(name) }
        }
        let page = try call.page(groups)
        w.element("DBSubnetGroups") { x in
            for group in page.items { Self.writeSubnetGroup(group.name, vpcId: group.vpcId, call: call, into: &x) }
        }
        w.leaf("Marker", page.marker)
    }

    /// DB parameter groups of the caller's account: the seeded ones and the `default.*` groups its
    /// instances use; one by `DBParameterGroupName` (any `default.*` name exists, as for a restore;
    /// DBParameterGroupNotFound, 404, otherwise). `Filters` is ignored, as for subnet groups.
    func describeDBParameterGroups(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let network = state.rds.network(account: call.account)
        var names: [String]
        if let name = call.p.string("DBParameterGroupName") {
            call.context.resource = name
            guard network.hasParameterGroup(name) else { throw RDSErrors.parameterGroupNotFound(name) }
            names = [name.lowercased()]
        } else {
            let defaults = state.rds.instances(account: call.account, now: call.now).map(\.parameterGroupName).filter {
                $0.hasPrefix("default.")
            }
            names = Set(network.parameterGroups).union(defaults).sorted()
        }
        let page = try call.page(names)
        w.element("DBParameterGroups") { x in
            for name in page.items {
                x.element("DBParameterGroup") { g in
                    g.leaf("DBParameterGroupName", name)
                    // Only a default group's name says its family; seeded groups carry none.
                    if name.hasPrefix("default.") { g.leaf("DBParameterGroupFamily", String(name.dropFirst("default.".count))) }
                    g.leaf(
                        "Description", name.hasPrefix("default.") ? "Default parameter group for \(name.dropFirst("default.".count))" : name
                    )
                    g.leaf("DBParameterGroupArn", RDSArn(region: call.region, account: call.account, type: "pg", id: name).text)
                }
            }
        }
        w.leaf("Marker", page.marker)
    }

    /// BC-RDS `DBSubnetGroup`. The simulator models no subnets, so two stable ones in the
    /// region's `a` and `c` zones stand in (a real group spans at least two zones).
    static func writeSubnetGroup(_ name: String, vpcId: String, call: RDSCall, into w: inout QueryXMLWriter) {
        w.element("DBSubnetGroup") { g in
            g.leaf("DBSubnetGroupName", name)
            g.leaf("DBSubnetGroupDescription", name)
            g.leaf("VpcId", vpcId)
            g.leaf("SubnetGroupStatus", "Complete")
            g.element("Subnets") { list in
                for (index, zone) in ["a", "c"].enumerated() {
                    list.element("Subnet") { s in
                        s.leaf("SubnetIdentifier", RDSNames.subnet(vpcId: vpcId, group: name, index: index))
                        s.element("SubnetAvailabilityZone") { z in z.leaf("Name", call.region + zone) }
                        s.leaf("SubnetStatus", "Active")
                    }
                }
            }
            g.leaf("DBSubnetGroupArn", RDSArn(region: call.region, account: call.account, type: "subgrp", id: name).text)
            g.list("SupportedNetworkTypes", member: "member", ["IPV4"])
        }
    }
}
