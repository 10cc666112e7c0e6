import Foundation

/// The simulated CloudWatch alarms (Query protocol, API 2010-08-01, signing name `monitoring`), as
/// the runbook's alarm guard reads them: DescribeAlarms by `AlarmNames` (or `AlarmNamePrefix`,
/// `StateValue`), `AlarmTypes` choosing metric and/or composite alarms — only metric alarms when
/// absent (CloudWatch API Reference, DescribeAlarms). An alarm's state is seeded, or changed with
/// the admin API, not computed from metrics.
public struct CloudWatchSimService: SimService {
    public init() {}

    public var signingName: String { "monitoring" }

    static let namespace = "http://monitoring.amazonaws.com/doc/2010-08-01/"

    public func operation(of request: SimRequest) -> String? {
        QueryForm(request).action == "DescribeAlarms" ? "DescribeAlarms" : nil
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let p = QueryMembers(request)
        let names = p.list("AlarmNames")
        let types = p.list("AlarmTypes")
        let prefix = p.string("AlarmNamePrefix")
        let stateValue = p.string("StateValue")
        if !names.isEmpty && prefix != nil {
            throw SimError("InvalidParameterCombination", "AlarmNames and AlarmNamePrefix cannot be used together", status: 400)
        }
        context.resource = names.first ?? prefix
        let alarms = state.switchover.alarms.filter { a in
            a.account == context.principal.account && a.region == context.region && (names.isEmpty || names.contains(a.name))
                && (prefix.map { a.name.hasPrefix($0) } ?? true) && (stateValue.map { a.state == $0 } ?? true)
        }
        .sorted { $0.name < $1.name }
        var w = QueryXMLWriter()
        for type in ["MetricAlarm", "CompositeAlarm"] where (types.isEmpty && type == "MetricAlarm") || types.contains(type) {
            w.element(type == "MetricAlarm" ? "MetricAlarms" : "CompositeAlarms") { list in
                for alarm in alarms where alarm.type == type {
                    list.element("member") { m in
                        m.leaf("AlarmName", alarm.name)
                        m.leaf("AlarmArn", alarm.arn)
                        m.leaf("ActionsEnabled", true)
                        m.leaf("StateValue", alarm.state)
                        m.leaf("StateReason", alarm.reason)
                        m.leaf("StateUpdatedTimestamp", alarm.updatedAt)
                    }
                }
            }
        }
        return QueryDocument.response("DescribeAlarms", result: w.text, namespace: Self.namespace, requestId: context.requestId)
    }

    public func render(_ error: SimError, requestId: String) -> SimResponse {
        QueryDocument.error(error, namespace: Self.namespace, requestId: requestId)
    }
}
