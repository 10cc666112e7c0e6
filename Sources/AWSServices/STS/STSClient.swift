import Foundation

/// STS, typed: who am I (`GetCallerIdentity`, which the engine checks before an account's first
/// mutation) and `AssumeRole` into another account.
///
/// The credential providers in AWSClient make their own AssumeRole calls; this is the service API
/// for code that needs the whole answer (assumed-role ARN, source identity, packed policy size).
public struct STSClient: Sendable {
    public let client: AWSClient

    /// Uses `client`'s account, credentials and transport; a client for another service is
    /// re-targeted at STS.
    public init(client: AWSClient) {
        self.client = client.service == .sts ? client : client.with(service: .sts)
    }

    /// `GetCallerIdentity`: the account, ARN and user ID of the credentials in use.
    public func getCallerIdentity() async throws -> STSCallerIdentity {
        try await call("GetCallerIdentity", QueryParameters(), resource: nil) { x, requestId in
            STSCallerIdentity(
                account: try x.required("Account"), arn: try x.required("Arn"), userId: try x.required("UserId"),
                requestId: requestId)
        }
    }

    /// `AssumeRole`: temporary credentials for `request.roleArn`.
    public func assumeRole(_ request: AssumeRoleRequest) async throws -> AssumeRoleOutput {
        try await call("AssumeRole", request.parameters, resource: request.roleArn) { x, requestId in
            guard let c = x.nested("Credentials") else {
                throw XMLDecodeError(message: "required element <Credentials> missing in <AssumeRoleResult>")
            }
            guard let user = x.nested("AssumedRoleUser") else {
                throw XMLDecodeError(message: "required element <AssumedRoleUser> missing in <AssumeRoleResult>")
            }
            let arn = try user.required("Arn")
            let credentials = AWSCredentials(
                accessKeyId: try c.required("AccessKeyId"), secretAccessKey: try c.required("SecretAccessKey"),
                sessionToken: try c.required("SessionToken"), expiration: try c.requiredDate("Expiration"),
                accountId: STSCallerIdentity.account(inArn: arn))
            return AssumeRoleOutput(
                credentials: credentials, assumedRoleId: try user.required("AssumedRoleId"), assumedRoleArn: arn,
                packedPolicySize: try x.int("PackedPolicySize"), sourceIdentity: x.string("SourceIdentity"),
                requestId: requestId)
        }
    }

    private func call<T>(
        _ action: String, _ parameters: QueryParameters, resource: String?, decode: (QueryFields, String?) throws -> T
    ) async throws -> T {
        let response = try await client.query(action: action, parameters: parameters.pairs, resource: resource)
        do {
            return try decode(QueryFields(response.result), response.requestId)
        } catch let error as XMLDecodeError {
            throw client.malformed(AWSRequest(operation: action, resource: resource), response.raw, reason: error.message)
        }
    }
}
