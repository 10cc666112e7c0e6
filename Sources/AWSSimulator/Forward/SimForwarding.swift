import Foundation

/// Which services the simulator does not implement itself but hands on to another AWS stand-in —
/// in practice a moto server — after checking the caller's signature against its own identities.
///
/// Why: a whole cutover touches services moto implements well (ELBv2, ECS, Route 53, Secrets
/// Manager, SSM, CloudWatch) and services only this simulator reproduces faithfully (the S3 name
/// hold, cross-account RDS snapshots, KMS sharing). The daemon gets its credentials from *this*
/// simulator's STS, which moto knows nothing about, so sending those services straight to moto
/// would land every call in moto's default account. Forwarding keeps one world: the simulator
/// authenticates the call as usual, then sends it to moto unchanged (method, path, query, headers,
/// body) plus `x-moto-account-id` naming the caller's account, moto's documented way to pick the
/// account (MOTO-NOTES.md §1). moto must run without its own authentication for that (its default).
public struct SimForwarding: Sendable, Equatable {
    /// The switch-over services of a cutover, by SigV4 signing name: ELBv2 (`elasticloadbalancing`),
    /// ECS, Route 53, Secrets Manager, SSM and CloudWatch (`monitoring`).
    public static let switchoverServices: Set<String> = ["elasticloadbalancing", "ecs", "route53", "secretsmanager", "ssm", "monitoring"]

    /// Signing names of the forwarded services.
    public var services: Set<String>
    /// Where to: a loopback address only.
    public var host: String
    public var port: Int

    public init(services: Set<String> = Self.switchoverServices, host: String = "127.0.0.1", port: Int) {
        self.services = services
        self.host = host
        self.port = port
    }

    /// Parses `http://127.0.0.1:PORT` (the only form accepted: forwarding never leaves the machine).
    public init(url: String, services: Set<String> = Self.switchoverServices) throws(SimForwardingError) {
        guard let parsed = URLComponents(string: url), parsed.scheme == "http", let host = parsed.host, let port = parsed.port,
            (1...65535).contains(port), parsed.path.isEmpty || parsed.path == "/"
        else { throw SimForwardingError("the forwarding target must be http://127.0.0.1:PORT (or localhost), not \(url)") }
        guard host == "127.0.0.1" || host == "localhost" else {
            throw SimForwardingError("the forwarding target must be on this machine (127.0.0.1 or localhost), not \(host)")
        }
        self.init(services: services, host: "127.0.0.1", port: port)
    }

    /// The operation's name for the request log: JSON protocols name it in `X-Amz-Target`
    /// (`AmazonEC2ContainerServiceV20141113.UpdateService`), Query protocols in `Action`, and
    /// Route 53's REST routes by method and path.
    public static func operation(of request: SimRequest) -> String {
        if let target = request.header("X-Amz-Target"), let dot = target.lastIndex(of: ".") {
            return String(target[target.index(after: dot)...])
        }
        if let action = request.query("Action") ?? request.formItems.first(where: { $0.name == "Action" })?.value, !action.isEmpty {
            return action
        }
        return route53Operation(method: request.method, path: request.path) ?? "\(request.method) \(request.path)"
    }

    /// Route 53's REST operations a cutover makes (API 2013-04-01).
    public static func route53Operation(method: String, path: String) -> String? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.first == "2013-04-01", parts.count >= 2 else { return nil }
        switch (method, Array(parts.dropFirst())) {
        case ("POST", ["hostedzone"]): return "CreateHostedZone"
        case ("GET", ["hostedzone"]): return "ListHostedZones"
        case ("GET", let p) where p.count == 2 && p[0] == "hostedzone": return "GetHostedZone"
        case ("DELETE", let p) where p.count == 2 && p[0] == "hostedzone": return "DeleteHostedZone"
        case ("POST", let p) where p.count == 3 && p[0] == "hostedzone" && p[2] == "rrset": return "ChangeResourceRecordSets"
        case ("GET", let p) where p.count == 3 && p[0] == "hostedzone" && p[2] == "rrset": return "ListResourceRecordSets"
        case ("GET", let p) where p.count == 2 && p[0] == "change": return "GetChange"
        default: return nil
        }
    }

    /// Whether the call may change state, for the request log's `mutated` (read-only assertions):
    /// reads are `Describe…`, `Get…`, `List…` and plain GETs; everything else counts as a write.
    public static func mayMutate(_ request: SimRequest, operation: String) -> Bool {
        if request.method == "GET" || request.method == "HEAD" { return false }
        return !["Describe", "Get", "List", "BatchGet"].contains { operation.hasPrefix($0) }
    }

    /// The error code of a forwarded answer, for the request log: `x-amzn-ErrorType`, a JSON
    /// `__type`, or an XML `<Code>`.
    static func errorCode(_ response: SimResponse) -> String {
        if let type = response.header("x-amzn-ErrorType"), !type.isEmpty { return String(type.prefix { $0 != ":" }) }
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any], let type = object["__type"] as? String {
            return String(type.split(separator: "#").last ?? Substring(type))
        }
        let text = String(decoding: response.body.prefix(4096), as: UTF8.self)
        if let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>", range: start.upperBound..<text.endIndex) {
            return String(text[start.upperBound..<end.lowerBound])
        }
        return "HTTP\(response.status)"
    }

    /// An error in the protocol the caller speaks: JSON (`X-Amz-Target`) or Query/REST XML.
    static func errorResponse(_ error: SimError, for request: SimRequest, requestId: String) -> SimResponse {
        if request.header("X-Amz-Target") != nil {
            let body = try? JSONSerialization.data(withJSONObject: ["__type": error.code, "message": error.message])
            return SimResponse(
                status: error.status,
                headers: [
                    ("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", requestId), ("x-amzn-ErrorType", error.code),
                ],
                body: body ?? Data())
        }
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ErrorResponse><Error><Type>Sender</Type><Code>\(QueryXMLWriter.escape(error.code))</Code>\
            <Message>\(QueryXMLWriter.escape(error.message))</Message></Error><RequestId>\(requestId)</RequestId></ErrorResponse>
            """
        return SimResponse(
            status: error.status, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", requestId)], body: Data(document.utf8))
    }
}

/// A forwarding target that cannot be used.
public struct SimForwardingError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
