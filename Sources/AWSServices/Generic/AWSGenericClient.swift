import AWSClient
import Foundation

/// Calls any operation of a catalog service (Query, EC2 or JSON protocol) with parameters as a
/// runbook writes them, through the one `AWSClient` (our SigV4, retries, error mapping), and
/// returns the answer as an `AWSDocument`. What `aws.call` and `aws.wait` run on.
public struct AWSGenericClient: Sendable {
    public let client: AWSClient
    public let model: AWSServiceModel

    /// `client` must be for `model.clientService` (`AccountSessions.client(model.clientService, …)`).
    public init(client: AWSClient, model: AWSServiceModel) {
        self.client = client
        self.model = model
    }

    /// One call. Parameters the model cannot take throw `AWSParameterError` before anything is
    /// sent; AWS's refusals throw `AWSError`; an answer that cannot be read throws `AWSError`
    /// with code `MalformedResponse` (never a silent success).
    public func call(
        _ operation: String, parameters: AWSParameterValue, resource: String? = nil, irreversible: Bool = false
    ) async throws -> AWSGenericAnswer {
        let request = try request(operation, parameters: parameters, resource: resource, irreversible: irreversible)
        let response = try await client.send(request)
        switch model.protocolKind {
        case .json:
            guard let document = AWSDocument.parseJSON(response.body) else {
                throw client.malformed(request, response, reason: "the answer is not JSON")
            }
            return AWSGenericAnswer(document: document, requestId: response.requestId)
        case .query, .ec2:
            let root: XMLNode
            do {
                root = try XMLNode.parse(response.body)
            } catch {
                throw client.malformed(request, response, reason: "\(error)")
            }
            guard root.localName == "\(operation)Response" else {
                throw client.malformed(request, response, reason: "expected <\(operation)Response>, got <\(root.name)>")
            }
            let op = model.operations[operation]
            var body = root
            if let wrapper = op?.resultWrapper { body = root.child(wrapper) ?? XMLNode(name: wrapper) }
            let document = op?.output.map { AWSXMLAnswerReader(model: model).read(body, as: $0) } ?? .object([:])
            let requestId =
                root.path("ResponseMetadata", "RequestId")?.trimmedText ?? root.string("requestId")
                ?? root.string("RequestId") ?? response.requestId
            return AWSGenericAnswer(document: document, requestId: requestId)
        }
    }

    /// The signed-to-be request for one call (exposed for tests of the wire form).
    public func request(
        _ operation: String, parameters: AWSParameterValue, resource: String? = nil, irreversible: Bool = false
    ) throws(AWSParameterError) -> AWSRequest {
        switch model.protocolKind {
        case .query, .ec2:
            let pairs = try AWSQuerySerializer(model: model).pairs(operation: operation, parameters: parameters)
            return AWSRequest(
                operation: operation, method: "POST", path: "/",
                headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
                body: Data(QueryParameters.formEncode(pairs).utf8), resource: resource, irreversible: irreversible)
        case .json:
            let body = try AWSJSONSerializer(model: model).body(operation: operation, parameters: parameters)
            var headers: HTTPHeaders = [
                "Content-Type": "application/x-amz-json-\(model.jsonVersion ?? "1.0")",
                "X-Amz-Target": "\(model.targetPrefix ?? "").\(operation)",
            ]
            if model.queryCompatible { headers.set("x-amzn-query-mode", "true") }
            return AWSRequest(
                operation: operation, method: "POST", path: "/", headers: headers, body: body, resource: resource,
                irreversible: irreversible)
        }
    }
}

/// A successful answer: the document and AWS's request ID.
public struct AWSGenericAnswer: Sendable {
    public var document: AWSDocument
    public var requestId: String?
}
