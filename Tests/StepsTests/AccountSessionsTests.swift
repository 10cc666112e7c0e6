import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Invariant 5: a run's session for an account must really be in that account.
@Suite struct AccountSessionsTests {
    static let legacy = "111111111111"
    static let product = "222222222222"

    struct World {
        let simulator: Simulator
        let base: StaticCredentialProvider
        let transport: SimulatorTransport
        let clock = ManualClock(now: EngineFixture.epoch)

        init() throws {
            simulator = Simulator(configuration: SimConfiguration(region: "us-east-1"), clock: SharedSimClock(clock))
            try simulator.addAccount(id: AccountSessionsTests.legacy, name: "legacy")
            try simulator.addAccount(id: AccountSessionsTests.product, name: "product")
            let key = try simulator.addUser(account: AccountSessionsTests.legacy, name: "cutoverd")
            try simulator.addRole(
                account: AccountSessionsTests.product, name: "CutoverTarget",
                trustedPrincipals: [AccountSessionsTests.legacy], externalId: "popinfo-2026")
            base = StaticCredentialProvider(AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey))
            transport = SimulatorTransport(simulator)
        }

        func sessions(_ accounts: [AccountSpec]) -> RunbookAccountSessions {
            RunbookAccountSessions(
                accounts: accounts, region: "us-east-1", base: base, transport: transport,
                retry: .disabled, sessionName: "cutover-test", now: { [clock] in clock.now() })
        }
    }

    @Test func assumedRoleSessionActsInTheDeclaredAccount() async throws {
        let world = try World()
        let sessions = world.sessions([
            AccountSpec(name: "legacy", accountId: Self.legacy),
            AccountSpec(
                name: "product", role: "arn:aws:iam::\(Self.product):role/CutoverTarget", externalId: "popinfo-2026",
                accountId: Self.product),
        ])
        let identity = try await sessions.sts("product").getCallerIdentity()
        #expect(identity.account == Self.product)
        #expect(identity.arn.contains("assumed-role/CutoverTarget/cutover-test"))
    }

    @Test func aSessionInAnotherAccountIsRefusedBeforeAnyCall() async throws {
        let world = try World()
        // The runbook says legacy is 333…, but the daemon's credentials are in 111….
        let sessions = world.sessions([AccountSpec(name: "legacy", accountId: "333333333333")])
        do {
            _ = try await sessions.s3("legacy")
            Issue.record("a client for the wrong account was handed out")
        } catch let error as StepError {
            #expect(error.code == "WrongAccount")
            #expect(error.message.contains("111111111111"))
            #expect(error.message.contains("333333333333"))
        }
    }

    @Test func aWrongExternalIdIsAClearError() async throws {
        let world = try World()
        let sessions = world.sessions([
            AccountSpec(
                name: "product", role: "arn:aws:iam::\(Self.product):role/CutoverTarget", externalId: "wrong",
                accountId: Self.product)
        ])
        await #expect(throws: (any Error).self) { _ = try await sessions.rds("product") }
    }
}
