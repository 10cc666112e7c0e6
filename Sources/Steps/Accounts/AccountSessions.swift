import AWSClient
import AWSServices
import Engine
import Runbook

/// AWS clients for the accounts a runbook names (`legacy`, `product`). Every call a step makes
/// goes through a client from here, so every call names the account it is meant for
/// (DESIGN.md invariant 5).
public protocol AccountSessions: Sendable {
    /// The region the runbook runs in.
    var region: String { get }
    /// The 12-digit ID the runbook declares for `account`, if any.
    func accountId(_ account: String) -> String?
    /// A client for `service` in the runbook account `account`. Before the first client of an
    /// account is handed out, its identity has been checked (STS GetCallerIdentity must return the
    /// declared account ID); a mismatch throws a `StepError` with code `WrongAccount`.
    func client(_ service: AWSService, account: String) async throws -> AWSClient
}

extension AccountSessions {
    public func s3(_ account: String) async throws -> S3Client {
        S3Client(client: try await client(.s3, account: account), expectedBucketOwner: accountId(account))
    }

    public func rds(_ account: String) async throws -> RDSClient { RDSClient(client: try await client(.rds, account: account)) }

    public func kms(_ account: String) async throws -> KMSClient { KMSClient(client: try await client(.kms, account: account)) }

    public func sts(_ account: String) async throws -> STSClient { STSClient(client: try await client(.sts, account: account)) }

    public func elbv2(_ account: String) async throws -> ELBv2Client { ELBv2Client(client: try await client(.elbv2, account: account)) }

    public func ecs(_ account: String) async throws -> ECSClient { ECSClient(client: try await client(.ecs, account: account)) }

    public func secretsManager(_ account: String) async throws -> SecretsManagerClient {
        SecretsManagerClient(client: try await client(.secretsManager, account: account))
    }

    public func ssm(_ account: String) async throws -> SSMClient { SSMClient(client: try await client(.ssm, account: account)) }

    /// Route 53 is global: the client signs for us-east-1 whatever the runbook's region.
    public func route53(_ account: String) async throws -> Route53Client {
        Route53Client(client: try await client(.route53, account: account))
    }

    /// S3 Control (Batch Operations jobs) in `account`: the declared account ID, or the one STS
    /// reports for the account's credentials.
    public func s3Control(_ account: String) async throws -> S3ControlClient {
        let client = try await client(.s3Control, account: account)
        if let id = accountId(account) { return S3ControlClient(client: client, accountId: id) }
        return S3ControlClient(client: client, accountId: try await STSClient(client: client).getCallerIdentity().account)
    }
}
