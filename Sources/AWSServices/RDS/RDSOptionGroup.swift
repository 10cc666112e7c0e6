/// An RDS option group as `DescribeOptionGroups` returns it: what the preflight compares between
/// the source instance's groups and the target's (BC-RDS `OptionGroup`).
public struct RDSOptionGroup: Sendable, Equatable {
    public var name: String
    public var engineName: String?
    public var majorEngineVersion: String?
    public var vpcId: String?
    public var arn: String?
    public var options: [RDSOption]

    public init(
        name: String, engineName: String? = nil, majorEngineVersion: String? = nil, vpcId: String? = nil, arn: String? = nil,
        options: [RDSOption] = []
    ) {
        self.name = name
        self.engineName = engineName
        self.majorEngineVersion = majorEngineVersion
        self.vpcId = vpcId
        self.arn = arn
        self.options = options
    }
}

/// One option of an option group. A persistent option (SQL Server TDE) cannot be removed while
/// instances use the group; a permanent one (Oracle TDE) never: both stay with every snapshot, and
/// a restore needs a group that has them (AWS-NOTES-2 OG-1, OG-4).
public struct RDSOption: Sendable, Equatable {
    public var name: String
    public var persistent: Bool
    public var permanent: Bool
    public var version: String?

    public init(name: String, persistent: Bool = false, permanent: Bool = false, version: String? = nil) {
        self.name = name
        self.persistent = persistent
        self.permanent = permanent
        self.version = version
    }

    /// True when the option travels with snapshots and must exist where they are restored.
    public var staysWithSnapshots: Bool { persistent || permanent }
}

extension RDSOptionGroup {
    /// Decodes an `<OptionGroup>` element; the name is required.
    init(_ x: QueryFields) throws {
        self.init(
            name: try x.required("OptionGroupName"),
            engineName: x.string("EngineName"),
            majorEngineVersion: x.string("MajorEngineVersion"),
            vpcId: x.string("VpcId"),
            arn: x.string("OptionGroupArn"),
            options: try x.items("Options", member: "Option") { o in
                RDSOption(
                    name: try o.required("OptionName"), persistent: try o.bool("Persistent") ?? false,
                    permanent: try o.bool("Permanent") ?? false, version: o.string("OptionVersion"))
            })
    }
}

extension RDSClient {
    /// `DescribeOptionGroups`: one page, or the group named `name` (OptionGroupNotFoundFault when
    /// it does not exist).
    public func describeOptionGroups(name: String? = nil, marker: String? = nil) async throws -> RDSPage<RDSOptionGroup> {
        var p = QueryParameters()
        p.add("OptionGroupName", name)
        p.add("Marker", marker)
        return try await call("DescribeOptionGroups", p, resource: name) { x in
            RDSPage(
                items: try x.items("OptionGroupsList", member: "OptionGroup", RDSOptionGroup.init), marker: x.string("Marker"),
                requestId: nil)
        }
    }

    /// The option group `name`, or nil when the account has none by that name.
    public func optionGroup(named name: String) async throws -> RDSOptionGroup? {
        do {
            return try await describeOptionGroups(name: name).items.first
        } catch let error as AWSError where error.code == .optionGroupNotFound {
            return nil
        }
    }
}
