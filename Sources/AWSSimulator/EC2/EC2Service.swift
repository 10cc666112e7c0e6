import Foundation

/// The simulated EC2 API (EC2's Query protocol, version 2016-11-15), as far as a cutover reads it:
/// `DescribeSecurityGroups`, answered from each account's `SimRDSNetwork` — the groups RDS checks
/// a restore's `VpcSecurityGroupIds` against — so the RDS preflight and the restore agree.
///
/// EC2's wire format differs from the other Query services (botocore's `ec2` protocol): the
/// response has no `<…Result>` wrapper and its elements are lower camel case
/// (`<requestId>`, `<securityGroupInfo><item>`); errors are
/// `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
public struct EC2Service: SimService {
    public init() {}

    public var signingName: String { "ec2" }

    static let namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

    static let operations: Set<String> = ["DescribeSecurityGroups"]

    public func operation(of request: SimRequest) -> String? {
        guard let action = EC2Parameters(request).action, Self.operations.contains(action) else { return nil }
        return action
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let p = EC2Parameters(request)
        var w = QueryXMLWriter()
        switch operation {
        case "DescribeSecurityGroups": try describeSecurityGroups(p, &context, &state, &w)
        default: throw SimError("InvalidAction", "The action \(operation) is not valid for this web service.", status: 400)
        }
        return Self.envelope(operation, body: w.text, requestId: context.requestId)
    }

    public func render(_ error: SimError, requestId: String) -> SimResponse {
        var w = QueryXMLWriter()
        w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>")
        w.element("Errors") { e in
            e.element("Error") { x in
                x.leaf("Code", error.code)
                x.leaf("Message", error.message)
            }
        }
        w.leaf("RequestID", requestId)
        w.close("Response")
        return SimResponse(status: error.status, headers: Self.headers(requestId), body: Data(w.text.utf8))
    }

    static func envelope(_ action: String, body: String, requestId: String) -> SimResponse {
        let document =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(action)Response xmlns=\"\(namespace)\">"
            + "<requestId>\(requestId)</requestId>\(body)</\(action)Response>"
        return SimResponse(status: 200, headers: headers(requestId), body: Data(document.utf8))
    }

    private static func headers(_ requestId: String) -> [(name: String, value: String)] {
        [("Content-Type", "text/xml;charset=UTF-8"), ("x-amzn-RequestId", requestId)]
    }
}
