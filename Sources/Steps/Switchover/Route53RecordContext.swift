import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// One attempt of a `route53.change-record` primitive: the record set the runbook wants, the
/// zone and account, and the outputs of the step's other primitives.
struct Route53RecordContext: PrimitiveContext {
    typealias Inputs = Route53RecordInputs

    /// The `previous` output when the record did not exist.
    static let none = "none"

    let step: StepContext
    let sessions: any AccountSessions
    let accountName: String
    let zone: String
    let desired: Route53RecordSet
    let within: Duration
    let every: Duration

    init(_ step: StepContext, _ inputs: Route53RecordInputs, sessions: any AccountSessions) {
        self.step = step
        self.sessions = sessions
        self.accountName = inputs.account
        self.zone = inputs.hostedZoneId
        self.desired = Route53RecordSet(
            name: inputs.name, type: inputs.type, ttl: inputs.ttl, values: inputs.values ?? [], alias: inputs.alias)
        self.within = .seconds(inputs.within ?? 300)
        self.every = .seconds(inputs.every ?? 10)
    }

    var account: String { sessions.accountId(accountName) ?? accountName }
    var resource: String { "\(Route53Client.bareId(zone)) \(desired.name) \(desired.type)" }
    var calls: AWSCallBoundary { AWSCallBoundary(context: step, service: "route53", region: "us-east-1") }

    func client() async throws -> Route53Client {
        try await AWSCallBoundary.read(account: account, resource: resource) { try await sessions.route53(accountName) }
    }

    /// The record set as Route 53 has it now, or nil. One with a routing policy is refused: the
    /// step would not know which of the set to change.
    func current(_ client: Route53Client) async throws -> Route53RecordSet? {
        let found = try await AWSCallBoundary.read(account: account, resource: resource) {
            try await client.recordSet(zone: zone, name: desired.name, type: desired.type)
        }
        if let found, let identifier = found.setIdentifier {
            throw error(
                "RoutingPolicyNotSupported",
                "\(desired.name) \(desired.type) has a routing policy (SetIdentifier \(identifier)); route53.change-record changes simple records only"
            )
        }
        return found
    }

    /// An output of another primitive of this step (`read`, `upsert`).
    func output(of primitive: String, _ key: String) -> String? {
        step.output(of: "\(step.step.origin).\(primitive)", key)
    }

    /// The record set `read` journaled: `.some(nil)` when there was none, nil when not journaled.
    func previous() throws -> Route53RecordSet?? {
        guard let text = output(of: "read", "previous") else { return nil }
        if text == Self.none { return .some(nil) }
        guard let record = try? JSONDecoder().decode(Route53RecordSet.self, from: Data(text.utf8)) else {
            throw error(StepErrorCode.invalidInputs, "the record set journaled by \(step.step.origin).read cannot be read back")
        }
        return .some(record)
    }

    static func encode(_ record: Route53RecordSet?) -> String {
        guard let record else { return none }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? none
    }

    /// One change batch, journaled. `PriorRequestNotComplete` (the zone still applies an earlier
    /// change) is retryable: AWS says to send it again after a while.
    func change(
        _ client: Route53Client, _ action: Route53ChangeAction, _ record: Route53RecordSet, comment: String
    ) async throws -> Route53Change {
        do {
            return try await calls.mutate("ChangeResourceRecordSets", account: account, resource: resource) {
                let change = try await client.changeRecordSet(zone: zone, action: action, record, comment: comment)
                return (change, change.requestId)
            }
        } catch var error as StepError where error.code == .priorRequestNotComplete {
            error.retryable = true
            throw error
        }
    }

    func error(_ code: String, _ message: String, retryable: Bool = false) -> StepError {
        StepError(code: code, message: message, retryable: retryable, account: account, resource: resource)
    }
}

/// What every `route53.change-record` primitive carries: the record set the runbook wants, its
/// zone and account, and the wait's limits (seconds).
struct Route53RecordInputs: Codable, Sendable {
    var account: String
    var hostedZoneId: String
    var name: String
    var type: String
    var within: Double?
    var every: Double?
    var ttl: Int?
    var values: [String]?
    var alias: Route53AliasTarget?
}
