import Foundation

extension AWSClient {
    /// Calls an AWS JSON-protocol operation (KMS): POST `/` with `X-Amz-Target: <prefix>.<op>`.
    public func json<Input: Encodable & Sendable, Output: Decodable & Sendable>(
        operation: String, input: Input, output: Output.Type, resource: String? = nil
    ) async throws -> Output {
        let (request, response) = try await jsonCall(operation: operation, input: input, resource: resource)
        do {
            return try JSONDecoder.aws.decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body)
        } catch {
            throw malformed(request, response, reason: "\(error)")
        }
    }

    /// Like `json(operation:input:output:)` for operations whose response has no fields we read.
    public func json<Input: Encodable & Sendable>(operation: String, input: Input, resource: String? = nil) async throws -> AWSResponse {
        try await jsonCall(operation: operation, input: input, resource: resource).1
    }

    private func jsonCall<Input: Encodable & Sendable>(
        operation: String, input: Input, resource: String?
    ) async throws -> (AWSRequest, AWSResponse) {
        guard case .json(let prefix, let version) = service.wireProtocol else {
            preconditionFailure("json(operation:) called on \(service.signingName), which is not a JSON-protocol service")
        }
        let body: Data
        do {
            body = try JSONEncoder.aws.encode(input)
        } catch {
            throw failure(
                AWSRequest(operation: operation, resource: resource), origin: .malformedResponse, code: "InvalidInput",
                message: "request could not be encoded: \(error)", status: 0, attempts: 0)
        }
        let request = AWSRequest(
            operation: operation, method: "POST", path: "/",
            headers: ["Content-Type": "application/x-amz-json-\(version)", "X-Amz-Target": "\(prefix).\(operation)"],
            body: body, resource: resource)
        return (request, try await send(request))
    }
}

extension JSONEncoder {
    /// AWS JSON: epoch-seconds dates, keys as declared (PascalCase).
    static var aws: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

extension JSONDecoder {
    static var aws: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }
}
