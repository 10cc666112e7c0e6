import Foundation

/// The Parameter Store calls `ssm.put-parameter` needs: write a value (a new version), read the
/// history (with decryption, in memory only) to find the version before a write and its value
/// for undo, and delete a parameter the step created.
///
/// Values pass through this client and nowhere else: they are never part of an error, a log line
/// or a request's `resource` (which names the parameter only).
public struct SSMClient: Sendable {
    public let client: AWSClient

    /// Uses `client`'s account, credentials and transport; re-targeted at SSM.
    public init(client: AWSClient) {
        self.client = client.service == .ssm ? client : client.with(service: .ssm)
    }

    /// Guards `parameterHistory` against a service that keeps answering a `NextToken`.
    static let maxPages = 100

    /// `PutParameter` with `Overwrite: true`; returns the new version. `type` and `keyId` are
    /// sent as given (AWS takes the type on create; on overwrite it must match or change).
    public func putParameter(_ name: String, value: String, type: SSMParameterType, keyId: String? = nil) async throws -> SSMParameterWrite
    {
        struct Input: Encodable, Sendable {
            var Name: String
            var Value: String
            var `Type`: String
            var KeyId: String?
            var Overwrite: Bool
        }
        struct Output: Decodable, Sendable { var Version: Int }
        let (output, requestId): (Output, String?) = try await call(
            "PutParameter", Input(Name: name, Value: value, Type: type.rawValue, KeyId: keyId, Overwrite: true), resource: name)
        return SSMParameterWrite(version: output.Version, requestId: requestId)
    }

    /// Every version of `name`, oldest first (following `NextToken`), decrypted when
    /// `withDecryption`. A parameter that does not exist throws `ParameterNotFound`.
    public func parameterHistory(_ name: String, withDecryption: Bool) async throws -> [SSMParameterVersion] {
        struct Input: Encodable, Sendable {
            var Name: String
            var WithDecryption: Bool
            var MaxResults: Int
            var NextToken: String?
        }
        struct Output: Decodable, Sendable {
            var Parameters: [SSMParameterVersion]?
            var NextToken: String?
        }
        var versions: [SSMParameterVersion] = []
        var token: String?
        var seen: Set<String> = []
        for _ in 0..<Self.maxPages {
            let (page, _): (Output, String?) = try await call(
                "GetParameterHistory", Input(Name: name, WithDecryption: withDecryption, MaxResults: 50, NextToken: token),
                resource: name)
            versions += page.Parameters ?? []
            guard let next = page.NextToken, !next.isEmpty else { return versions.sorted { $0.version < $1.version } }
            guard seen.insert(next).inserted else { break }
            token = next
        }
        throw client.failure(
            AWSRequest(operation: "GetParameterHistory", resource: name), origin: .malformedResponse, code: "MalformedResponse",
            message: "pagination would never end", status: 200, attempts: 1)
    }

    /// `DeleteParameter`; returns the request ID.
    @discardableResult
    public func deleteParameter(_ name: String) async throws -> String? {
        struct Input: Encodable, Sendable { var Name: String }
        return try await client.json(operation: "DeleteParameter", input: Input(Name: name), resource: name).requestId
    }

    private func call<Input: Encodable & Sendable, Output: Decodable>(
        _ operation: String, _ input: Input, resource: String
    ) async throws -> (Output, String?) {
        let response = try await client.json(operation: operation, input: input, resource: resource)
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            return (try decoder.decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body), response.requestId)
        } catch {
            // The decoding error may quote a decrypted value: say only what failed.
            throw client.malformed(AWSRequest(operation: operation, resource: resource), response, reason: "not the documented JSON shape")
        }
    }
}
