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
        let body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeAlarmsResponse xmlns=\"\(Self.namespace)\"><DescribeAlarmsResult>\(w.text)</DescribeAlarmsResult>"
            + "<ResponseMetadata><RequestId>\(context.requestId)</RequestId></ResponseMetadata></DescribeAlarmsResponse>"
        return SimResponse(
            status: 200, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", context.requestId)], body: Data(body.utf8))
    }

    public func render(_ error: SimError, requestId: String) -> SimResponse {
        var w = QueryXMLWriter()
        w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"\(Self.namespace)\">")
        w.element("Error") { e in
            e.leaf("Type", error.status >= 500 ? "Receiver" : "Sender")
            e.leaf("Code", error.code)
            e.leaf("Message", error.message)
        }
        w.leaf("RequestId", requestId)
        w.close("ErrorResponse")
        return SimResponse(
            status: error.status, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestId)], body: Data(w.text.utf8))
    }
}
