import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport

/// The two accounts both RDS move worlds run in: `legacy` (111…, the daemon's own credentials)
/// and `product` (222…, reached by assuming CutoverTarget with the external ID).
enum RDSTwoAccounts {
    static let legacy = "111111111111"
    static let product = "222222222222"

    /// Adds both accounts, the daemon's user and the target role to `simulator`; returns the
    /// user's key.
    static func add(to simulator: Simulator) throws -> SimAccessKey {
        try simulator.addAccount(id: legacy, name: "legacy")
        try simulator.addAccount(id: product, name: "product")
        let key = try simulator.addUser(account: legacy, name: "cutoverd")
        try simulator.addRole(account: product, name: "CutoverTarget", trustedPrincipals: [legacy], externalId: "popinfo-2026")
        return key
    }

    /// Points `fixture`'s step registry at the simulator through both accounts' sessions, on the
    /// fixture's clock, and reopens it.
    static func connect(_ fixture: EngineFixture, to simulator: Simulator, key: SimAccessKey) throws {
        let base = StaticCredentialProvider(AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey))
        let accounts = [
            AccountSpec(name: "legacy", accountId: legacy),
            AccountSpec(
                name: "product", role: "arn:aws:iam::\(product):role/CutoverTarget", externalId: "popinfo-2026", accountId: product),
        ]
        let clock = fixture.clock
        let sessions = RunbookAccountSessions(
            accounts: accounts, region: "us-east-1", base: base, transport: SimulatorTransport(simulator), retry: .disabled,
            sessionName: "cutover-test", now: { clock.now() })
        fixture.registry = StepLibrary.registry(sessions: sessions)
        try fixture.reopen()
    }
}
