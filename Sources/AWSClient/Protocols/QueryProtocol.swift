import Foundation

/// A decoded AWS Query-protocol response (RDS, STS): the `<ActionResult>` element and request ID.
public struct QueryResponse: Sendable {
    /// `<DescribeDBInstancesResult>` and the like; an empty element when the action returns nothing.
    public var result: XMLNode
    public var requestId: String?
    public var raw: AWSResponse
}

extension AWSClient {
    /// Calls a Query-protocol action: a form-encoded POST of `Action`, `Version` and `parameters`.
    /// Use `QueryParameters` to build lists (`Foo.member.N`) and nested structures.
    public func query(action: String, parameters: [(String, String)], resource: String? = nil) async throws -> QueryResponse {
        guard case .query(let version) = service.wireProtocol else {
            preconditionFailure("query(action:) called on \(service.signingName), which is not a Query-protocol service")
        }
        var pairs = [("Action", action), ("Version", version)]
        pairs.append(contentsOf: parameters)
        let body = QueryParameters.formEncode(pairs)
        let request = AWSRequest(
            operation: action, method: "POST", path: "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: Data(body.utf8), resource: resource)
        let response = try await send(request)
        let root: XMLNode
        do {
            root = try XMLNode.parse(response.body)
        } catch {
            throw malformed(request, response, reason: "\(error)")
        }
        guard root.localName == "\(action)Response" else {
            throw malformed(request, response, reason: "expected <\(action)Response>, got <\(root.name)>")
        }
        let result = root.child("\(action)Result") ?? XMLNode(name: "\(action)Result")
        let requestId = root.path("ResponseMetadata", "RequestId")?.trimmedText ?? response.requestId
        return QueryResponse(result: result, requestId: requestId, raw: response)
    }
}

/// Builds Query-protocol parameters in order, with AWS's list and map flattening conventions.
public struct QueryParameters: Sendable {
    public private(set) var pairs: [(String, String)] = []

    public init() {}

    public mutating func add(_ name: String, _ value: String?) {
        if let value { pairs.append((name, value)) }
    }
    public mutating func add(_ name: String, _ value: Bool?) {
        if let value { pairs.append((name, value ? "true" : "false")) }
    }
    public mutating func add(_ name: String, _ value: Int?) {
        if let value { pairs.append((name, String(value))) }
    }

    /// `Name.member.1=a&Name.member.2=b` (or a custom member name like `VpcSecurityGroupId`).
    public mutating func addList(_ name: String, _ values: [String]?, member: String = "member") {
        guard let values else { return }
        for (i, v) in values.enumerated() { pairs.append(("\(name).\(member).\(i + 1)", v)) }
    }

    /// `Tags.member.1.Key=k&Tags.member.1.Value=v` (or `Tags.Tag.1…` with `member: "Tag"`).
    public mutating func addTags(_ name: String, _ tags: [(key: String, value: String)]?, member: String = "member") {
        guard let tags else { return }
        for (i, tag) in tags.enumerated() {
            pairs.append(("\(name).\(member).\(i + 1).Key", tag.key))
            pairs.append(("\(name).\(member).\(i + 1).Value", tag.value))
        }
    }

    /// application/x-www-form-urlencoded as botocore writes it (Python's `urlencode`): RFC 3986
    /// escaping, except that a space is `+`. AWS accepts `%20` too, but moto re-encodes the body
    /// with `+` before checking the signature, so `%20` fails there.
    public static func formEncode(_ pairs: [(String, String)]) -> String {
        pairs.map { formEscape($0.0) + "=" + formEscape($0.1) }.joined(separator: "&")
    }

    static func formEscape(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

extension XMLNode {
    /// The `<member>` (or other) items of a Query-protocol list element.
    public func list(_ name: String, member: String = "member") -> [XMLNode] {
        child(name)?.children(member) ?? []
    }
}
