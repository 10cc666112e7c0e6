import Foundation

/// The Secrets Manager calls `secretsmanager.put-secret-value` needs: read the current value (in
/// memory only), see which version holds which stage label, write a new version idempotently,
/// and move `AWSCURRENT` back for undo.
///
/// Secret strings pass through this client and nowhere else: they are never part of an error,
/// a log line or a request's `resource` (which names the secret ID only).
public struct SecretsManagerClient: Sendable {
    public let client: AWSClient

    /// Uses `client`'s account, credentials and transport; re-targeted at Secrets Manager.
    public init(client: AWSClient) {
        self.client = client.service == .secretsManager ? client : client.with(service: .secretsManager)
    }

    /// `DescribeSecret`: the secret's ARN, name and which version holds which stage labels.
    public func describeSecret(_ secretId: String) async throws -> SecretDescription {
        struct Input: Encodable, Sendable { var SecretId: String }
        struct Output: Decodable, Sendable {
            var ARN: String?
            var Name: String?
            var VersionIdsToStages: [String: [String]]?
            var DeletedDate: Date?
        }
        let (output, requestId): (Output, String?) = try await call("DescribeSecret", Input(SecretId: secretId), resource: secretId)
        return SecretDescription(
            arn: output.ARN, name: output.Name, versionStages: output.VersionIdsToStages ?? [:],
            deletedDate: output.DeletedDate, requestId: requestId)
    }

    /// `GetSecretValue` of the version holding `stage` (`AWSCURRENT` by default).
    ///
    /// Always name the stage: moto answers a call without one from a pointer that an
    /// `UpdateSecretVersionStage` does not move (docs/MOTO-FINDINGS.md); AWS documents the
    /// default as `AWSCURRENT`, so naming it costs nothing there.
    public func getSecretValue(_ secretId: String, stage: String = SecretStage.current) async throws -> SecretValue {
        struct Input: Encodable, Sendable {
            var SecretId: String
            var VersionStage: String
        }
        struct Output: Decodable, Sendable {
            var VersionId: String?
            var SecretString: String?
            var SecretBinary: String?
        }
        let (output, _): (Output, String?) = try await call(
            "GetSecretValue", Input(SecretId: secretId, VersionStage: stage), resource: secretId)
        guard let versionId = output.VersionId else {
            throw client.failure(
                AWSRequest(operation: "GetSecretValue", resource: secretId), origin: .malformedResponse, code: "MalformedResponse",
                message: "the answer names no VersionId", status: 200, attempts: 1)
        }
        return SecretValue(versionId: versionId, string: output.SecretString, isBinary: output.SecretBinary != nil)
    }

    /// `PutSecretValue` with `token` as the new version's ID: the same token with the same string
    /// is a no-op (a retry after a lost answer), the same token with another string fails.
    /// Without `VersionStages` AWS moves `AWSCURRENT` to the new version and `AWSPREVIOUS` to the
    /// one that had it.
    public func putSecretValue(_ secretId: String, string: String, token: String) async throws -> SecretWrite {
        struct Input: Encodable, Sendable {
            var SecretId: String
            var SecretString: String
            var ClientRequestToken: String
        }
        struct Output: Decodable, Sendable {
            var ARN: String?
            var VersionId: String?
            var VersionStages: [String]?
        }
        let (output, requestId): (Output, String?) = try await call(
            "PutSecretValue", Input(SecretId: secretId, SecretString: string, ClientRequestToken: token), resource: secretId)
        return SecretWrite(
            arn: output.ARN, versionId: output.VersionId ?? token, versionStages: output.VersionStages ?? [], requestId: requestId)
    }

    /// `UpdateSecretVersionStage`: moves `stage` to `moveTo`, taking it from `removeFrom` (which
    /// AWS requires while the label sits on another version).
    @discardableResult
    public func updateSecretVersionStage(
        _ secretId: String, stage: String, moveTo: String?, removeFrom: String?
    ) async throws -> String? {
        struct Input: Encodable, Sendable {
            var SecretId: String
            var VersionStage: String
            var MoveToVersionId: String?
            var RemoveFromVersionId: String?
        }
        let response = try await client.json(
            operation: "UpdateSecretVersionStage",
            input: Input(SecretId: secretId, VersionStage: stage, MoveToVersionId: moveTo, RemoveFromVersionId: removeFrom),
            resource: secretId)
        return response.requestId
    }

    private func call<Input: Encodable & Sendable, Output: Decodable>(
        _ operation: String, _ input: Input, resource: String
    ) async throws -> (Output, String?) {
        let response = try await client.json(operation: operation, input: input, resource: resource)
        do {
            return (
                try JSONDecoder.secretsManager.decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body),
                response.requestId
            )
        } catch {
            // The decoding error may quote the body, which can hold the secret: say only what failed.
            throw client.malformed(
                AWSRequest(operation: operation, resource: resource), response, reason: "not the documented JSON shape")
        }
    }
}

extension JSONDecoder {
    static var secretsManager: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}
