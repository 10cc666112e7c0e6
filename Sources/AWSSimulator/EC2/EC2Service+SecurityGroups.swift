import Foundation

/// `DescribeSecurityGroups` (EC2 API Reference; botocore `DescribeSecurityGroupsRequest`):
/// by `GroupId.N`, by `GroupName.N` (default VPC only), by filters, or all of the caller's
/// groups, with `MaxResults`/`NextToken` pages and `DryRun`.
extension EC2Service {
    typealias SecurityGroup = SimRDSNetwork.SecurityGroup

    /// The filters the simulator evaluates. Rule filters (`ip-permission.*`, `egress.*`) are
    /// refused as invalid: groups have no modelled rules to match them against.
    static let filterNames: Set<String> = ["group-id", "group-name", "vpc-id", "owner-id", "description", "tag-key"]

    func describeSecurityGroups(
        _ p: EC2Parameters, _ context: inout SimCallContext, _ state: inout SimState, _ w: inout QueryXMLWriter
    ) throws(SimError) {
        let account = context.principal.account
        let ids = p.list("GroupId")
        let names = p.list("GroupName")
        let filters = p.filters()
        let maxResults = try p.int("MaxResults")
        if let maxResults {
            guard ids.isEmpty, names.isEmpty else {
                throw EC2Errors.invalidCombination("The parameter groupIds cannot be used with the parameter maxResults")
            }
            guard (5...1000).contains(maxResults) else {
                throw EC2Errors.invalidValue(
                    "Value ( \(maxResults) ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.")
            }
        }
        for filter in filters where !Self.filterNames.contains(filter.name) && !filter.name.hasPrefix("tag:") {
            throw EC2Errors.invalidFilter(filter.name)
        }
        let all = state.rds.network(account: account).allSecurityGroups(account: account)
        // Seeded IDs are taken as they are (tests seed short ones like `sg-0abc`); any other ID
        // must have AWS's form before it can be merely absent.
        for id in ids where !all.contains(where: { $0.id == id }) && !Self.isWellFormedGroupId(id) {
            throw EC2Errors.malformedGroupId(id)
        }
        if try p.bool("DryRun") == true { throw EC2Errors.dryRun }
        if !(ids + names).isEmpty { context.resource = (ids + names).joined(separator: ",") }

        var groups = all
        if !ids.isEmpty || !names.isEmpty {
            var chosen: [String: SecurityGroup] = [:]
            for id in ids {
                guard let group = all.first(where: { $0.id == id }) else { throw EC2Errors.groupNotFound(id) }
                chosen[group.id] = group
            }
            let defaultVpc = RDSNames.defaultVpc(account: account)
            for name in names {
                guard let group = all.first(where: { $0.vpcId == defaultVpc && $0.name == name }) else {
                    throw EC2Errors.groupNameNotFound(name, defaultVpc: defaultVpc)
                }
                chosen[group.id] = group
            }
            groups = chosen.values.sorted { $0.id < $1.id }
        }
        for filter in filters {
            groups = groups.filter { group in
                guard let value = Self.field(filter.name, of: group, account: account) else { return false }
                return filter.values.contains { Self.glob($0, matches: value) }
            }
        }

        var nextToken: String?
        if let token = p.string("NextToken") {
            guard let after = Data(base64Encoded: token).map({ String(decoding: $0, as: UTF8.self) }), after.hasPrefix("sg") else {
                throw EC2Errors.invalidToken(token)
            }
            groups = groups.filter { $0.id > after }
        }
        if let maxResults, groups.count > maxResults {
            groups = Array(groups.prefix(maxResults))
            nextToken = groups.last.map { Data($0.id.utf8).base64EncodedString() }
        }

        w.element("securityGroupInfo") { list in
            for group in groups { Self.write(group, account: account, region: context.region, into: &list) }
        }
        w.leaf("nextToken", nextToken)
    }

    /// `sg-` and 8 or 17 lower-case hexadecimal digits, the two forms EC2 issues.
    static func isWellFormedGroupId(_ id: String) -> Bool {
        guard id.hasPrefix("sg-") else { return false }
        let digits = id.dropFirst(3)
        return (digits.count == 8 || digits.count == 17) && digits.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// The value a filter compares, or nil when the group has none (it has no tags).
    static func field(_ filter: String, of group: SecurityGroup, account: String) -> String? {
        switch filter {
        case "group-id": group.id
        case "group-name": group.name
        case "vpc-id": group.vpcId
        case "owner-id": account
        case "description": description(group)
        default: nil
        }
    }

    /// EC2 filter values may use `*` (any run of characters) and `?` (one character).
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern)
        let t = Array(text)
        var (pi, ti) = (0, 0)
        var star: (p: Int, t: Int)?
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = (pi, ti)
                pi += 1
            } else if let s = star {
                pi = s.p + 1
                ti = s.t + 1
                star = (s.p, s.t + 1)
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    static func description(_ group: SecurityGroup) -> String { group.isDefault ? "default VPC security group" : group.name }

    /// botocore `SecurityGroup`. A default group allows all traffic from itself in and all
    /// traffic out, as AWS creates it; seeded groups allow all traffic out and nothing in.
    static func write(_ group: SecurityGroup, account: String, region: String, into w: inout QueryXMLWriter) {
        w.element("item") { g in
            g.leaf("ownerId", account)
            g.leaf("groupId", group.id)
            g.leaf("groupName", group.name)
            g.leaf("groupDescription", description(group))
            g.leaf("vpcId", group.vpcId)
            g.element("ipPermissions") { rules in
                guard group.isDefault else { return }
                rules.element("item") { r in
                    r.leaf("ipProtocol", "-1")
                    r.element("groups") { pairs in
                        pairs.element("item") { pair in
                            pair.leaf("userId", account)
                            pair.leaf("groupId", group.id)
                        }
                    }
                    r.element("ipRanges") { _ in }
                    r.element("ipv6Ranges") { _ in }
                    r.element("prefixListIds") { _ in }
                }
            }
            g.element("ipPermissionsEgress") { rules in
                rules.element("item") { r in
                    r.leaf("ipProtocol", "-1")
                    r.element("groups") { _ in }
                    r.element("ipRanges") { ranges in ranges.element("item") { range in range.leaf("cidrIp", "0.0.0.0/0") } }
                    r.element("ipv6Ranges") { _ in }
                    r.element("prefixListIds") { _ in }
                }
            }
            g.leaf("securityGroupArn", "arn:aws:ec2:\(region):\(account):security-group/\(group.id)")
        }
    }
}
