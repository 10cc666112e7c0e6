import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Journals name primitives by step type, so a run journaled before the instance and cluster
/// primitives became one generic set must find an executor under every type it names.
@Suite struct RDSStepTypesTests {
    static let journaledTypes: Set<String> = [
        "rds.preflight-move", "rds.snapshot-instance", "rds.wait-snapshot", "rds.share-snapshot", "rds.copy-shared-snapshot",
        "rds.wait-snapshot-copy", "rds.restore-instance", "rds.wait-instance", "rds.verify-restore",
        "rds.preflight-cluster-move", "rds.snapshot-cluster", "rds.wait-cluster-snapshot", "rds.share-cluster-snapshot",
        "rds.copy-shared-cluster-snapshot", "rds.wait-cluster-snapshot-copy", "rds.restore-cluster", "rds.wait-cluster",
        "rds.create-cluster-members", "rds.wait-cluster-members", "rds.verify-cluster", "rds.delete-instance",
        // Issue 17: the share key and the copy under it.
        "rds.create-share-key", "rds.schedule-share-key-deletion", "rds.copy-snapshot-for-share", "rds.wait-snapshot-for-share",
        "rds.delete-snapshot-for-share", "rds.copy-cluster-snapshot-for-share", "rds.wait-cluster-snapshot-for-share",
        "rds.delete-cluster-snapshot-for-share",
    ]

    @Test func everyStepTypeEarlierJournalsNameStillHasItsExecutor() throws {
        let fixture = try EngineFixture(inMemoryFilesystem: true)
        let simulator = Simulator(
            configuration: SimConfiguration(region: "us-east-1", rds: RDSTimings()), clock: SharedSimClock(fixture.clock))
        let clock = fixture.clock
        let sessions = RunbookAccountSessions(
            accounts: [AccountSpec(name: "legacy", accountId: RDSTwoAccounts.legacy)], region: "us-east-1",
            base: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret")),
            transport: SimulatorTransport(simulator), retry: .disabled, sessionName: "cutover-test", now: { clock.now() })
        #expect(Set(RDSSteps.executors(sessions: sessions).keys) == Self.journaledTypes)
    }

    @Test(arguments: RDSMoveKindCase.all)
    func thePlanNamesOnlyJournaledTypes(_ kind: RDSMoveKindCase) throws {
        let types = Set(try kind.movePlan().steps.map(\.type).filter { $0.hasPrefix("rds.") })
        #expect(types.isSubset(of: Self.journaledTypes))
        // The move's own and the five share-key primitives of `sourceShareKey: auto` (the default).
        #expect(types.count == (kind.name == "instance" ? 9 : 11) + 5)
    }
}
