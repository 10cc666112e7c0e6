import AWSServices
import Foundation
import Runbook

/// `uses: route53.change-record`: points a DNS name somewhere else — an UPSERT of a record
/// (type, TTL, values) or an alias (the target's hosted zone ID and DNS name) — and waits until
/// every Route 53 server has it (`INSYNC`). The zone may be in a third runbook account.
///
/// ```yaml
/// - id: switch-dns
///   uses: route53.change-record
///   with:
///     account: dns
///     hostedZoneId: Z0123456789ABCDEFGHIJ
///     name: admin.example.com
///     type: A
///     alias: { hostedZoneId: Z14GRHDCWA56QT, dnsName: product-alb-123.ap-northeast-1.elb.amazonaws.com }
/// ```
///
/// Three primitives: `read` journals the record set as it was (not secret; undo needs it),
/// `upsert` changes it, `wait` polls `GetChange` on the engine's clock. Undo restores the record
/// set `read` journaled, or deletes the record when there was none.
public struct Route53ChangeRecordDefinition: StepDefinition {
    public static let type = "route53.change-record"
    static let readType = "route53.read-record"
    static let upsertType = "route53.upsert-record"
    static let waitType = "route53.wait-change"
    /// The record types a simple-routing record set may have.
    static let recordTypes = [
        "A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP", "SVCB", "TLSA", "TXT",
    ]

    public init() {}

    public var type: String { Self.type }
    public var summary: String {
        "UPSERT a Route 53 record or alias and wait until it is INSYNC; undo restores the record set it read first."
    }
    public var inputs: [StepInput] {
        [
            StepInput("account", .account, required: true, summary: "The runbook account that owns the hosted zone (may be a third one)."),
            StepInput("hostedZoneId", .string, required: true, summary: "The hosted zone's ID (`Z…` or `/hostedzone/Z…`)."),
            StepInput("name", .string, required: true, summary: "The record's DNS name, e.g. `admin.example.com`."),
            StepInput("type", .string, required: true, summary: "The record type: A, AAAA, CNAME, TXT, …"),
            StepInput("ttl", .int, summary: "Seconds; required with `values`, not allowed with `alias`."),
            StepInput("values", .list, summary: "The record's values (may read step outputs); one for CNAME."),
            StepInput("alias", .mapping, summary: "`{ hostedZoneId, dnsName, evaluateTargetHealth }` instead of `ttl`/`values`."),
            StepInput("within", .duration, summary: "How long to wait for INSYNC (default 5m)."),
            StepInput("every", .duration, summary: "Time between GetChange polls (default 10s)."),
        ]
    }
    public var outputs: [StepOutput] {
        [
            StepOutput("changeId", from: .primitive("upsert", key: "changeId"), summary: "the Route 53 change ID"),
            StepOutput("name", from: .input("name"), summary: "the record's name"),
        ]
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let account = reader.account("account", required: true) ?? ""
        let zone = reader.string("hostedZoneId", required: true) ?? ""
        let name = reader.string("name", required: true) ?? ""
        let recordType = (reader.string("type", required: true) ?? "").uppercased()
        let ttl = reader.int("ttl")
        let within = reader.duration("within") ?? .seconds(300)
        let every = reader.duration("every") ?? .seconds(10)
        let values = Self.values(&reader)
        let alias = Self.alias(&reader)
        if let at = reader.value("type"), !recordType.isEmpty, !Self.recordTypes.contains(recordType) {
            reader.report(
                "bad-value", "`with.type` of step `\(step.id)` is `\(recordType)`, not a record type Route 53 takes",
                hint: Hints.nearest(to: recordType, in: Self.recordTypes).map { "did you mean `\($0)`?" }
                    ?? "one of \(Self.recordTypes.joined(separator: ", "))", at: at)
        }
        if let at = reader.value("name"), name.isEmpty || name.contains(" ") {
            reader.report(
                "bad-value", "`with.name` of step `\(step.id)` is not a DNS name: `\(name)`", hint: "write e.g. `admin.example.com`", at: at
            )
        }
        if let at = reader.value("ttl"), let ttl, !(0...2_147_483_647).contains(ttl) {
            reader.report("bad-value", "`with.ttl` of step `\(step.id)` must be 0 or more seconds, not \(ttl)", at: at)
        }
        switch (values, alias) {
        case (nil, nil):
            reader.report(
                "missing-key", "step `\(step.id)` (route53.change-record) needs `with.values` (with `ttl`) or `with.alias`",
                hint: "add `values: [203.0.113.10]` and `ttl: 60`, or `alias: { hostedZoneId: Z…, dnsName: … }`", at: step.with)
        case (.some, .some):
            reader.report(
                "bad-value", "step `\(step.id)` gives both `with.values` and `with.alias`; a record is one or the other",
                hint: "keep `alias` for a load balancer, `values` for addresses", at: reader.value("alias"))
        case (let values?, nil):
            if ttl == nil {
                reader.report(
                    "missing-key", "step `\(step.id)` gives `with.values` without `with.ttl`", hint: "add `ttl: 60`",
                    at: reader.value("values"))
            }
            if recordType == "CNAME", values.count != 1 {
                reader.report(
                    "bad-value", "a CNAME has exactly one value; step `\(step.id)` gives \(values.count)", at: reader.value("values"))
            }
        case (nil, _?):
            if let at = reader.value("ttl") {
                reader.report(
                    "bad-value", "an alias record has no TTL of its own (Route 53 uses the target's)", hint: "remove `ttl`", at: at)
            }
        }
        try reader.finish()

        let inputs = try StepValues.encode(
            Route53RecordInputs(
                account: account, hostedZoneId: zone, name: name, type: recordType, within: within.timeInterval, every: every.timeInterval,
                ttl: ttl, values: values, alias: alias),
            of: step)
        let target =
            alias.map { "alias \($0.dnsName) (zone \($0.hostedZoneId))" }
            ?? "\((values ?? []).joined(separator: ", ")) (TTL \(ttl ?? 0))"
        let record = "`\(name)` \(recordType) in zone \(Route53Client.bareId(zone))"
        return [
            PrimitiveTemplate(
                name: "read", type: Self.readType, title: "Read \(record) as it is (kept for undo)", account: account,
                effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: .seconds(1), inputs: inputs,
                retry: SwitchoverInputs.callRetry),
            PrimitiveTemplate(
                name: "upsert", type: Self.upsertType, title: "UPSERT \(record) → \(target) (undo: the record set read back)",
                account: account, effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(2), inputs: inputs,
                retry: SwitchoverInputs.callRetry),
            PrimitiveTemplate(
                name: "wait", type: Self.waitType, title: "Wait until the change is INSYNC (up to \(RunbookDuration.format(within)))",
                account: account, effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: .seconds(60), inputs: inputs,
                retry: RetryPolicy(backoff: .fixed(interval: every), maxElapsed: within)),
        ]
    }

    /// `values: [...]`: scalars (references allowed), at least one.
    static func values(_ reader: inout StepInputReader) -> [String]? {
        guard let value = reader.value("values"), value.kind != .null else { return nil }
        guard case let .sequence(items) = value.kind else { return nil }  // the kind check reports it
        var values: [String] = []
        for item in items {
            guard let text = item.scalar, !text.isEmpty else {
                reader.report("wrong-type", "each of `with.values` of step `\(reader.step.id)` must be a single value", at: item)
                continue
            }
            values.append(text)
        }
        if items.isEmpty {
            reader.report("bad-value", "`with.values` of step `\(reader.step.id)` is empty", hint: "write e.g. `[203.0.113.10]`", at: value)
        }
        return values
    }

    /// `alias: { hostedZoneId, dnsName, evaluateTargetHealth }`.
    static func alias(_ reader: inout StepInputReader) -> Route53AliasTarget? {
        guard let value = reader.value("alias"), value.kind != .null else { return nil }
        guard case let .mapping(entries) = value.kind else { return nil }  // the kind check reports it
        let allowed = ["hostedZoneId", "dnsName", "evaluateTargetHealth"]
        for entry in entries where !allowed.contains(entry.key) {
            reader.report(
                "unknown-key", "`\(entry.key)` is not a key of `with.alias` of step `\(reader.step.id)`",
                hint: Hints.nearest(to: entry.key, in: allowed).map { "did you mean `\($0)`?" }
                    ?? "keys: hostedZoneId, dnsName, evaluateTargetHealth",
                at: entry.keyLocation)
        }
        var missing = false
        for key in ["hostedZoneId", "dnsName"] where value[key]?.scalar?.isEmpty != false {
            reader.report(
                "missing-key", "`with.alias` of step `\(reader.step.id)` needs `\(key)`",
                hint: "the target's hosted zone ID (e.g. a load balancer's CanonicalHostedZoneId) and DNS name", at: value[key] ?? value)
            missing = true
        }
        var evaluate = false
        if let flag = value["evaluateTargetHealth"] {
            if let bool = flag.scalar.flatMap({ Bool($0) }) {
                evaluate = bool
            } else {
                reader.report("wrong-type", "`with.alias.evaluateTargetHealth` of step `\(reader.step.id)` must be true or false", at: flag)
            }
        }
        guard !missing, let zone = value["hostedZoneId"]?.scalar, let dns = value["dnsName"]?.scalar else {
            return Route53AliasTarget(hostedZoneId: "", dnsName: "")
        }
        return Route53AliasTarget(hostedZoneId: zone, dnsName: dns, evaluateTargetHealth: evaluate)
    }
}
