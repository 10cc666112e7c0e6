import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport

/// The real step executors against moto (an independent AWS emulator, started by `scripts/test`)
/// instead of our simulator, for the parts of the two moves moto can reproduce: everything within
/// one account (MOTO-NOTES §4 and gap 2: moto models neither cross-account snapshot copies nor
/// S3's name hold).
///
/// The runbook declares two names for moto's account A — `home` and `away` — so the moves' own
/// checks (two different runbook accounts) hold while every call lands in one real account.
/// One request moto lacks is answered by `MotoGapTransport`. Requests are signed with the wall clock (moto checks the signature's time); the engine runs on
/// the fixture's virtual clock, so the forced wait and RDS polls take no real time.
final class MotoStepWorld: Sendable {
    let moto: MotoFixture
    let fixture: EngineFixture
    let s3: S3Client

    init() throws {
        moto = try MotoFixture.load()
        fixture = try EngineFixture(now: Date(), inMemoryFilesystem: true)
        s3 = S3Client(client: moto.clientA(.s3))
    }

    var accountsYAML: String {
        """
        accounts:
          home: { id: "\(moto.accountA)" }
          away: { id: "\(moto.accountA)" }
        approvals: { approvers: ["group:cutover-approvers"], required: 1 }
        """
    }

    func plan(_ yaml: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: yaml, file: "moto.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    /// Plans `yaml`, wires the engine to the real S3 and RDS executors on moto and starts the run.
    func start(_ yaml: String) async throws -> RunExecutor {
        let plan = try plan(yaml)
        let sessions = RunbookAccountSessions(
            accounts: plan.accounts, region: plan.region, base: StaticCredentialProvider(moto.credentialsA),
            transport: MotoGapTransport(), endpoints: EndpointResolver(overrideURL: moto.endpoint),
            retry: RetryConfiguration(maxAttempts: 4, maxBackoff: .milliseconds(50), baseDelay: .milliseconds(5)),
            sessionName: "cutover-moto", now: { Date() })
        var registry = StepRegistry()
        var tuning = S3CopyTuning(objectRetries: 4, backoffBase: .milliseconds(5), backoffCap: .milliseconds(50))
        // moto rejects correctly signed requests whose query value contains `/` (`delimiter=/`,
        // docs/MOTO-FINDINGS.md), so the copy lists each bucket in one sequential listing here;
        // the prefix-parallel listing is tested against the simulator.
        tuning.listingParallelism = 1
        for (type, step) in S3Steps.executors(sessions: sessions, tuning: tuning) { registry.register(type, step) }
        for (type, step) in RDSSteps.executors(sessions: sessions) { registry.register(type, step) }
        fixture.registry = registry
        try fixture.reopen()
        return try await fixture.start(plan)
    }

    /// Approves every gate that waits, as an approver other than the initiator.
    static let approver: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
        return acted
    }

    /// A failure summary of every step that did not succeed, for expectation messages.
    static func failures(_ run: RunExecutor) async -> String {
        await run.snapshot().steps.filter { $0.status != .succeeded }
            .map { "\($0.id): \($0.status) \($0.lastError?.description ?? "")" }.joined(separator: "\n")
    }

    /// Empties (every version and marker) and deletes `bucket` if it exists, ignoring errors: test
    /// housekeeping so moto does not accumulate buckets across runs of the suite.
    func removeIfPresent(_ bucket: String) async {
        guard (try? await s3.headBucket(bucket)) != nil else { return }
        while let page = try? await s3.listObjectVersions(bucket: bucket, maxKeys: 1_000), !page.identifiers.isEmpty {
            guard (try? await s3.deleteObjects(bucket: bucket, objects: page.identifiers, quiet: true)) != nil else { break }
        }
        _ = try? await s3.deleteBucket(bucket)
    }
}
