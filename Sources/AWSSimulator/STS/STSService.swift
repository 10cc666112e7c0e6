import Foundation

/// The simulated STS API: GetCallerIdentity and AssumeRole over the Query protocol, answered in
/// STS's XML (namespace `https://sts.amazonaws.com/doc/2011-06-15/`, `ResponseMetadata/RequestId`,
/// errors as `<ErrorResponse>`), as botocore's `sts` model describes them [BC-STS].
///
/// Unlike moto (MOTO-NOTES §1), AssumeRole requires the role to exist, evaluates its trust and
/// ExternalId, enforces the duration limits (role maximum, one hour when chaining), and the
/// credentials it issues expire on the simulator's clock.
public struct STSService: SimService {
    static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"
    static let operations: Set<String> = ["GetCallerIdentity", "AssumeRole"]

    public init() {}

    public var signingName: String { "sts" }

    /// `Action` from the form body (POST, as the SDKs send it) or the query string (GET).
    public func operation(of request: SimRequest) -> String? {
        guard let action = Self.parameters(of: request).first(where: { $0.name == "Action" })?.value,
            Self.operations.contains(action)
        else { return nil }
        return action
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    )
        throws(SimError) -> SimResponse
    {
        context.mutated = false
        let parameters = Self.parameters(of: request)
        switch operation {
        case "GetCallerIdentity":
            return getCallerIdentity(context: context)
        case "AssumeRole":
            return try assumeRole(parameters, context: &context, iam: &state.iam)
        default:
            throw SimError("InvalidAction", "Could not find operation \(operation) for version 2011-06-15", status: 400)
        }
    }

    /// `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`.
    public func render(_ error: SimError, requestId: String) -> SimResponse {
        let type = error.status >= 500 ? "Receiver" : "Sender"
        let document = """
            <ErrorResponse xmlns="\(Self.namespace)">
              <Error>
                <Type>\(type)</Type>
                <Code>\(Self.escape(error.code))</Code>
                <Message>\(Self.escape(error.message))</Message>
              </Error>
              <RequestId>\(Self.escape(requestId))</RequestId>
            </ErrorResponse>

            """
        return Self.response(error.status, document, requestId: requestId)
    }

    // MARK: - GetCallerIdentity

    private func getCallerIdentity(context: SimCallContext) -> SimResponse {
        let principal = context.principal
        return Self.result(
            "GetCallerIdentity",
            """
                <Arn>\(Self.escape(principal.arn))</Arn>
                <UserId>\(Self.escape(principal.userId))</UserId>
                <Account>\(Self.escape(principal.account))</Account>
            """, requestId: context.requestId)
    }

    // MARK: - Wire helpers

    /// Query-protocol parameters: the query string's, then the form body's.
    static func parameters(of request: SimRequest) -> [(name: String, value: String)] {
        var items = request.queryItems
        if !request.body.isEmpty {
            let contentType = request.header("Content-Type")?.lowercased() ?? "application/x-www-form-urlencoded"
            if contentType.hasPrefix("application/x-www-form-urlencoded") { items += request.formItems }
        }
        return items
    }

    /// `<OpResponse><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>`.
    static func result(_ operation: String, _ body: String, requestId: String) -> SimResponse {
        let document = """
            <\(operation)Response xmlns="\(namespace)">
              <\(operation)Result>
            \(body)
              </\(operation)Result>
              <ResponseMetadata>
                <RequestId>\(escape(requestId))</RequestId>
              </ResponseMetadata>
            </\(operation)Response>

            """
        return response(200, document, requestId: requestId)
    }

    static func response(_ status: Int, _ document: String, requestId: String) -> SimResponse {
        SimResponse(
            status: status, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestId)],
            body: Data(document.utf8))
    }

    static func escape(_ s: String) -> String {
        guard s.contains(where: { "&<>\"'".contains($0) }) else { return s }
        var out = ""
        out.reserveCapacity(s.count + 16)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }
}
