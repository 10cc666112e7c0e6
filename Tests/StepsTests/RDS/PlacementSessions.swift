import AWSClient
import AWSSimulator
import Steps
import TestSupport

/// The real sessions (AssumeRole, identity checks) with each client's transport wrapped in a
/// `PlacementTransport` for its account.
struct PlacementSessions: AccountSessions {
    let inner: RunbookAccountSessions
    let simulator: Simulator

    var region: String { inner.region }

    func accountId(_ account: String) -> String? { inner.accountId(account) }

    func client(_ service: AWSService, account: String) async throws -> AWSClient {
        let client = try await inner.client(service, account: account)
        let transport = PlacementTransport(inner: SimulatorTransport(simulator), account: accountId(account) ?? account)
        return AWSClient(
            service: client.service, region: client.region, credentials: client.credentials, transport: transport,
            endpoints: client.endpoints, retry: client.retry, account: client.account, timeouts: client.timeouts)
    }
}
