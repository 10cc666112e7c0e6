import AWSClient
import AWSSigV4
import Foundation

/// The moto server that `scripts/test` starts with signature checking on (see
/// `scripts/moto_fixture.py`): its endpoint, account A's IAM user keys, and account B's role.
///
/// Conformance tests fail — they do not skip — when the fixture is missing, because a skipped
/// conformance test would let an unverified client pass CI.
public struct MotoFixture: Sendable, Decodable {
    public let endpoint: String
    public let region: String
    public let accountA: String
    public let accountB: String
    public let accessKeyId: String
    public let secretAccessKey: String
    public let roleArnB: String

    /// Reads `$CUTOVER_MOTO_FIXTURE` (written by `scripts/moto_fixture.py start`).
    public static func load() throws -> MotoFixture {
        guard let path = ProcessInfo.processInfo.environment["CUTOVER_MOTO_FIXTURE"] else {
            throw LoopbackError(
                "CUTOVER_MOTO_FIXTURE is not set: run the tests with scripts/test, which starts moto_server with signature checking and seeds accounts A and B"
            )
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(MotoFixture.self, from: data)
    }

    /// Account A's own credentials (an IAM user with full access).
    public var credentialsA: AWSCredentials {
        AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey)
    }

    /// A client for `service` in account A, retries off (a retried moto 500 can hide corruption).
    public func clientA(_ service: AWSService) -> AWSClient {
        client(service, credentials: StaticCredentialProvider(credentialsA), account: accountA)
    }

    /// A client with the given credentials against moto.
    public func client(_ service: AWSService, credentials: any CredentialProvider, account: String?) -> AWSClient {
        AWSClient(
            service: service, region: region, credentials: credentials,
            endpoints: EndpointResolver(overrideURL: endpoint), retry: .disabled, account: account,
            timeouts: TransportTimeouts(connect: .seconds(5), total: .seconds(30)))
    }

    /// Temporary credentials in account B, obtained by AssumeRole from account A.
    public func assumeRoleB(sessionName: String = "cutover-conformance") async throws -> AWSCredentials {
        let sts = clientA(.sts)
        let response = try await sts.query(
            action: "AssumeRole", parameters: [("RoleArn", roleArnB), ("RoleSessionName", sessionName)], resource: roleArnB)
        guard let c = response.result.child("Credentials"), let key = c.string("AccessKeyId"),
            let secret = c.string("SecretAccessKey"), let token = c.string("SessionToken")
        else { throw LoopbackError("AssumeRole answer has no Credentials") }
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token, accountId: accountB)
    }

    /// A client for `service` in account B (credentials from AssumeRole).
    public func clientB(_ service: AWSService) async throws -> AWSClient {
        client(service, credentials: StaticCredentialProvider(try await assumeRoleB()), account: accountB)
    }

    /// A name unique to this test run, valid as an S3 bucket or RDS identifier.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))".lowercased()
    }
}
