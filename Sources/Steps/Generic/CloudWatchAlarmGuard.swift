import AWSClient
import AWSServices
import Engine
import Runbook

/// The runbook's alarm guard on CloudWatch: one DescribeAlarms (Query protocol, API 2010-08-01,
/// signing name `monitoring`) with `AlarmNames` and both alarm types, in the guard's account.
/// CloudWatch answers unknown names with nothing (AWS-NOTES-2 CW-1), so a name that does not
/// come back is reported `MISSING`: a misspelt alarm must not guard silently nothing.
public struct CloudWatchAlarmGuard: RunGuard {
    let sessions: any AccountSessions
    let catalog: AWSModelCatalog

    public init(sessions: any AccountSessions, catalog: AWSModelCatalog = .shared) {
        self.sessions = sessions
        self.catalog = catalog
    }

    public func read(_ spec: RunGuardSpec) async -> GuardReading {
        let account = sessions.accountId(spec.account).map { "\(spec.account) (\($0))" } ?? spec.account
        guard let model = catalog.service("cloudwatch") else {
            return GuardReading(account: account, alarms: [], problem: "this cutoverd's AWS catalog has no CloudWatch")
        }
        let answer: AWSGenericAnswer
        do {
            let client = AWSGenericClient(client: try await sessions.client(model.clientService, account: spec.account), model: model)
            answer = try await client.call(
                "DescribeAlarms",
                parameters: .map([
                    (key: "AlarmNames", value: .list(spec.alarms.map(AWSParameterValue.scalar))),
                    (key: "AlarmTypes", value: .list([.scalar("MetricAlarm"), .scalar("CompositeAlarm")])),
                    (key: "MaxRecords", value: .scalar("100")),
                ]),
                resource: spec.alarms.joined(separator: ","))
        } catch {
            let mapped = AWSCallBoundary.stepError(error, account: account, resource: "CloudWatch alarms")
            return GuardReading(account: account, alarms: [], problem: mapped.description, requestId: mapped.requestId)
        }
        var found: [String: GuardReading.Alarm] = [:]
        for key in ["MetricAlarms", "CompositeAlarms"] {
            guard case .list(let items)? = Self.member(answer.document, key) else { continue }
            for item in items {
                guard let name = Self.member(item, "AlarmName")?.text else { continue }
                found[name] = GuardReading.Alarm(
                    name: name, state: Self.member(item, "StateValue")?.text ?? "UNKNOWN",
                    reason: Self.member(item, "StateReason")?.text, since: Self.member(item, "StateUpdatedTimestamp")?.text)
            }
        }
        let alarms = spec.alarms.map { found[$0] ?? GuardReading.Alarm(name: $0, state: "MISSING") }
        return GuardReading(account: account, alarms: alarms, requestId: answer.requestId)
    }

    private static func member(_ document: AWSDocument, _ name: String) -> AWSDocument? {
        guard case .object(let members) = document else { return nil }
        return members[name]
    }
}
