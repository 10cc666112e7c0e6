import Foundation

/// Option groups: DescribeOptionGroups and CreateOptionGroup (an empty group, enough to seed one
/// over the wire; options are seeded with `Simulator.seedOptionGroup`), and what a restore checks
/// against the snapshot's persistent and permanent options.
extension RDSService {
    /// The caller's seeded option groups, or one by `OptionGroupName` (a `default:*` name always
    /// exists; OptionGroupNotFoundFault, 404, otherwise). `EngineName` and `MajorEngineVersion`
    /// filter the list and cannot be combined with a name (BC-RDS DescribeOptionGroupsMessage).
    /// moto answers a list request with no groups with a Python KeyError (AWS-NOTES-2 OG-6); AWS
    /// and the simulator answer an empty list.
    func describeOptionGroups(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let network = state.rds.network(account: call.account)
        let engine = call.p.string("EngineName")
        let major = call.p.string("MajorEngineVersion")
        var groups: [SimOptionGroup]
        if let name = call.p.string("OptionGroupName") {
            call.context.resource = name
            guard engine == nil, major == nil else {
                throw RDSErrors.invalidCombination("OptionGroupName can't be supplied together with EngineName or MajorEngineVersion.")
            }
            guard let group = network.optionGroup(name) else { throw RDSErrors.optionGroupNotFound(name) }
            groups = [group]
        } else {
            if major != nil, engine == nil { throw RDSErrors.invalidCombination("MajorEngineVersion requires EngineName.") }
            groups = network.optionGroups.values.sorted { $0.name < $1.name }
            if let engine { groups = groups.filter { $0.engine == engine } }
            if let major { groups = groups.filter { $0.majorEngineVersion == major } }
        }
        let page = try call.page(groups)
        w.element("OptionGroupsList") { list in
            for group in page.items { Self.write(group, call: call, into: &list) }
        }
        w.leaf("Marker", page.marker)
    }

    /// CreateOptionGroup: an empty group for an engine and major version. OptionGroupAlreadyExistsFault
    /// for a name taken; `default:` names are reserved.
    func createOptionGroup(_ call: inout RDSCall, _ state: inout SimState, _ w: inout QueryXMLWriter) throws(SimError) {
        let name = try call.identifier("OptionGroupName", max: 255)
        call.context.resource = name
        let engine = try call.p.required("EngineName")
        let major = try call.p.required("MajorEngineVersion")
        let description = try call.p.required("OptionGroupDescription")
        guard Self.engines.contains(engine), !engine.hasPrefix("aurora") else {
            throw RDSErrors.invalidValue("Invalid DB engine for option group: \(engine)")
        }
        guard state.rds.network(account: call.account).optionGroups[name] == nil else {
            throw SimError("OptionGroupAlreadyExistsFault", "Option group \(name) already exists.", status: 400)
        }
        let group = SimOptionGroup(name: name, engine: engine, majorEngineVersion: major, description: description)
        state.rds.addOptionGroup(group, account: call.account)
        call.context.mutated = true
        Self.write(group, call: call, into: &w)
    }

    /// The restored instance's option group: the one asked for (already applied), else the
    /// snapshot's when the caller's account has it, else the engine's default. It must hold every
    /// persistent and permanent option the snapshot carries (RDSUG-2023
    /// USER_WorkingWithOptionGroups.md; AWS-NOTES-2 OG-4). AWS documents no error code for a
    /// restore into a group without them; the simulator answers what CopyDBSnapshot was observed
    /// to answer for the same condition: InvalidParameterValue "The snapshot requires a target
    /// option group with the following options: [...]" (cloud-custodian#4955, AWS-NOTES-2 OG-3).
    func restoreOptionGroup(_ instance: inout SimDBInstance, from snapshot: SimDBSnapshot, call: RDSCall, state: SimState) throws(SimError)
    {
        let network = state.rds.network(account: call.account)
        let group: SimOptionGroup
        if let name = call.p.string("OptionGroupName"), let asked = network.optionGroup(name) {
            group = asked
        } else if let name = snapshot.optionGroupName, let same = network.optionGroup(name) {
            group = same
        } else {
            group =
                network.optionGroup(instance.optionGroupName)
                ?? SimOptionGroup(name: instance.optionGroupName, engine: "", majorEngineVersion: "")
        }
        let has = Set(group.options.map(\.name))
        let missing = snapshot.carriedOptions.map(\.name).filter { !has.contains($0) }
        guard missing.isEmpty else {
            throw RDSErrors.invalidValue(
                "The snapshot requires a target option group with the following options: [\(missing.joined(separator: ", "))]")
        }
        instance.optionGroupName = group.name
        instance.carriedOptions = group.carriedOptions
    }

    /// BC-RDS `OptionGroup`.
    static func write(_ group: SimOptionGroup, call: RDSCall, into w: inout QueryXMLWriter) {
        w.element("OptionGroup") { g in
            g.leaf("OptionGroupName", group.name)
            g.leaf("OptionGroupDescription", group.description)
            g.leaf("EngineName", group.engine)
            g.leaf("MajorEngineVersion", group.majorEngineVersion)
            g.element("Options") { list in
                for option in group.options {
                    list.element("Option") { o in
                        o.leaf("OptionName", option.name)
                        o.leaf("Persistent", option.persistent ? "true" : "false")
                        o.leaf("Permanent", option.permanent ? "true" : "false")
                    }
                }
            }
            g.leaf("AllowsVpcAndNonVpcInstanceMemberships", "true")
            g.leaf("OptionGroupArn", RDSArn(region: call.region, account: call.account, type: "og", id: group.name).text)
        }
    }
}
