import Foundation

/// The simulated Route 53 API (REST-XML, API 2013-04-01, signing name `route53`), as
/// `route53.change-record` uses it: ListResourceRecordSets (from `name`/`type`, `maxitems`),
/// ChangeResourceRecordSets (CREATE, UPSERT, DELETE, values or alias targets, all changes of a
/// batch or none) and GetChange.
///
/// Why natively and not moto: a change is `PENDING` until it has propagated and only then
/// `INSYNC` (Route 53 API Reference, GetChange; "changes generally propagate … within 60
/// seconds", ChangeResourceRecordSets) — moto answers `INSYNC` at once, so the step's wait for
/// INSYNC was never exercised — and a rehearsal must keep the operator's own hosted zone ID.
public struct Route53SimService: SimService {
    public init() {}

    public var signingName: String { "route53" }

    static let namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

    public func operation(of request: SimRequest) -> String? {
        let parts = request.path.split(separator: "/").map { SimPercent.decode(String($0)) }
        guard parts.first == "2013-04-01" else { return nil }
        switch (request.method, Array(parts.dropFirst())) {
        case ("GET", let p) where p.count == 3 && p[0] == "hostedzone" && p[2] == "rrset": return "ListResourceRecordSets"
        case ("POST", let p) where p.count == 3 && p[0] == "hostedzone" && p[2] == "rrset": return "ChangeResourceRecordSets"
        case ("GET", let p) where p.count == 2 && p[0] == "change": return "GetChange"
        default: return nil
        }
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let parts = request.path.split(separator: "/").map { SimPercent.decode(String($0)) }
        var w = QueryXMLWriter()
        switch operation {
        case "ListResourceRecordSets":
            let zone = try Self.zone(parts[2], context, state.switchover)
            let records = Self.sorted(state.switchover.hostedZones[zone].records)
            let name = request.query("name").map(Self.canonical)
            let type = request.query("type")?.uppercased()
            if type != nil && name == nil {
                throw SimError("InvalidInput", "The input is not valid: you must give name when you give type", status: 400)
            }
            let limit = Int(request.query("maxitems") ?? "300") ?? 300
            context.resource = "\(parts[2]) \(name ?? "") \(type ?? "")"
            var from = records
            if let name {
                let key = Self.sortKey(name)
                from = records.filter { r in
                    let k = Self.sortKey(r.name)
                    return k > key || (k == key && (type == nil || r.type >= type!))
                }
            }
            let page = Array(from.prefix(max(1, min(limit, 300))))
            w.element("ResourceRecordSets") { list in
                for record in page { list.element("ResourceRecordSet") { Self.write(record, &$0) } }
            }
            w.leaf("IsTruncated", from.count > page.count)
            if from.count > page.count {
                w.leaf("NextRecordName", from[page.count].name)
                w.leaf("NextRecordType", from[page.count].type)
            }
            w.leaf("MaxItems", String(limit))
            return Self.document("ListResourceRecordSetsResponse", w.text, requestId: context.requestId)
        case "ChangeResourceRecordSets":
            let zone = try Self.zone(parts[2], context, state.switchover)
            context.resource = parts[2]
            guard let root = S3XMLElement.parse(request.body), let batch = root.child("ChangeBatch"),
                let changes = batch.child("Changes")?.children("Change"), !changes.isEmpty
            else {
                throw SimError(
                    "InvalidInput", "The XML document is not a ChangeResourceRecordSetsRequest with at least one Change", status: 400)
            }
            var records = state.switchover.hostedZones[zone].records
            let zoneName = state.switchover.hostedZones[zone].name
            var problems: [String] = []
            for change in changes {
                guard let action = change.string("Action"), let set = change.child("ResourceRecordSet"), let record = Self.record(set)
                else {
                    throw SimError("InvalidInput", "A Change needs an Action and a ResourceRecordSet with Name and Type", status: 400)
                }
                guard record.name == zoneName || record.name.hasSuffix("." + zoneName) else {
                    problems.append("RRSet with DNS name \(record.name) is not permitted in zone \(zoneName)")
                    continue
                }
                if let alias = record.alias, let problem = Self.aliasProblem(alias, record, state.switchover) {
                    problems.append(problem)
                    continue
                }
                let existing = records.firstIndex {
                    $0.name == record.name && $0.type == record.type && $0.setIdentifier == record.setIdentifier
                }
                switch action {
                case "CREATE":
                    if existing != nil {
                        problems.append(
                            "Tried to create resource record set [name='\(record.name)', type='\(record.type)'] but it already exists")
                    } else {
                        records.append(record)
                    }
                case "UPSERT":
                    if let existing { records[existing] = record } else { records.append(record) }
                case "DELETE":
                    guard let existing else {
                        problems.append(
                            "Tried to delete resource record set [name='\(record.name)', type='\(record.type)'] but it was not found")
                        continue
                    }
                    guard Self.sameData(records[existing], record) else {
                        problems.append(
                            "Tried to delete resource record set [name='\(record.name)', type='\(record.type)'] but the values provided do not match the current values"
                        )
                        continue
                    }
                    records.remove(at: existing)
                default:
                    throw SimError("InvalidInput", "Invalid Action \(action): CREATE, DELETE or UPSERT", status: 400)
                }
            }
            guard problems.isEmpty else {
                throw SimError("InvalidChangeBatch", problems.joined(separator: "; "), status: 400)
            }
            state.switchover.hostedZones[zone].records = records
            let id = "C" + state.switchover.hexID(20).uppercased()
            let change = SimRoute53Change(
                account: context.principal.account, id: id, submittedAt: context.now, comment: batch.string("Comment"))
            state.switchover.changes[id] = change
            context.mutated = true
            Self.write(change, now: context.now, state.switchover.timings, &w)
            return Self.document("ChangeResourceRecordSetsResponse", w.text, requestId: context.requestId)
        case "GetChange":
            let id = parts[2]
            context.resource = id
            guard let change = state.switchover.changes[id], change.account == context.principal.account else {
                throw SimError("NoSuchChange", "A change with the specified change ID does not exist: \(id)", status: 404)
            }
            Self.write(change, now: context.now, state.switchover.timings, &w)
            return Self.document("GetChangeResponse", w.text, requestId: context.requestId)
        default:
            throw SimError("InvalidAction", "The action \(operation) is not valid for this web service.", status: 400)
        }
    }

    public func render(_ error: SimError, requestId: String) -> SimResponse {
        QueryDocument.error(error, namespace: Self.namespace, requestId: requestId)
    }

    // MARK: Records

    /// Lower case with the trailing dot, as Route 53 returns names.
    static func canonical(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? lower : lower + "."
    }

    /// Route 53 lists records by name with the labels reversed (`com.example.admin`), then type.
    static func sortKey(_ name: String) -> String {
        canonical(name).split(separator: ".").reversed().joined(separator: ".")
    }

    static func sorted(_ records: [SimRecordSet]) -> [SimRecordSet] {
        records.sorted { (sortKey($0.name), $0.type) < (sortKey($1.name), $1.type) }
    }

    static func record(_ x: S3XMLElement) -> SimRecordSet? {
        guard let name = x.string("Name"), let type = x.string("Type") else { return nil }
        var alias: SimRecordSet.Alias?
        if let target = x.child("AliasTarget"), let zone = target.string("HostedZoneId"), let dns = target.string("DNSName") {
            alias = .init(
                hostedZoneId: zone, dnsName: canonical(dns),
                evaluateTargetHealth: target.string("EvaluateTargetHealth")?.lowercased() == "true")
        }
        let values = x.child("ResourceRecords")?.children("ResourceRecord").compactMap { $0.string("Value") }
        return SimRecordSet(
            name: canonical(name), type: type.uppercased(), ttl: x.string("TTL").flatMap { Int($0) },
            values: alias == nil ? (values ?? []) : nil,
            alias: alias, setIdentifier: x.string("SetIdentifier"))
    }

    static func sameData(_ a: SimRecordSet, _ b: SimRecordSet) -> Bool {
        a.alias == b.alias && (a.alias != nil || (a.ttl == b.ttl && (a.values ?? []) == (b.values ?? [])))
    }

    /// An alias naming one of the simulated load balancers' canonical zones must name that load
    /// balancer's DNS name (Route 53 checks that an alias target exists).
    static func aliasProblem(_ alias: SimRecordSet.Alias, _ record: SimRecordSet, _ state: SwitchoverState) -> String? {
        let balancers = state.loadBalancers.filter { $0.canonicalHostedZoneId == alias.hostedZoneId }
        guard !balancers.isEmpty else { return nil }
        let target = alias.dnsName.hasPrefix("dualstack.") ? String(alias.dnsName.dropFirst("dualstack.".count)) : alias.dnsName
        if balancers.contains(where: { canonical($0.dnsName) == target }) { return nil }
        return
            "Tried to create an alias that targets \(alias.dnsName), type \(record.type) in zone \(alias.hostedZoneId), but the alias target name does not lie within the target zone"
    }

    static func zone(_ id: String, _ context: SimCallContext, _ state: SwitchoverState) throws(SimError) -> Int {
        guard let index = state.hostedZones.firstIndex(where: { $0.id == id && $0.account == context.principal.account }) else {
            throw SimError("NoSuchHostedZone", "No hosted zone found with ID: \(id)", status: 404)
        }
        return index
    }

    // MARK: Rendering

    static func write(_ record: SimRecordSet, _ w: inout QueryXMLWriter) {
        w.leaf("Name", record.name)
        w.leaf("Type", record.type)
        w.leaf("SetIdentifier", record.setIdentifier)
        if let alias = record.alias {
            w.element("AliasTarget") { a in
                a.leaf("HostedZoneId", alias.hostedZoneId)
                a.leaf("DNSName", alias.dnsName)
                a.leaf("EvaluateTargetHealth", alias.evaluateTargetHealth)
            }
        } else {
            w.leaf("TTL", record.ttl)
            w.element("ResourceRecords") { list in
                for value in record.values ?? [] { list.element("ResourceRecord") { $0.leaf("Value", value) } }
            }
        }
    }

    static func write(_ change: SimRoute53Change, now: Date, _ timings: SwitchoverTimings, _ w: inout QueryXMLWriter) {
        w.element("ChangeInfo") { c in
            c.leaf("Id", "/change/\(change.id)")
            c.leaf("Status", now >= change.submittedAt.addingTimeInterval(timings.route53Propagation) ? "INSYNC" : "PENDING")
            c.leaf("SubmittedAt", change.submittedAt)
            c.leaf("Comment", change.comment)
        }
    }

    static func document(_ root: String, _ body: String, requestId: String) -> SimResponse {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(root) xmlns=\"\(namespace)\">\(body)</\(root)>"
        return SimResponse(status: 200, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestId)], body: Data(text.utf8))
    }
}
