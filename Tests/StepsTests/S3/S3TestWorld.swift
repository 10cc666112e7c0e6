import AWSClient
import AWSSimulator
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport

/// Two accounts in the in-process simulator on the engine's virtual clock: `legacy` (the daemon's
/// own user) and `product` (a role assumed from legacy with an external ID), plus a third party
/// that may snipe a freed name. The engine fixture's registry runs the real S3 executors.
final class S3TestWorld: @unchecked Sendable {
    static let legacy = "111111111111"
    static let product = "222222222222"
    static let squatter = "333333333333"

    let fixture: EngineFixture
    let simulator: Simulator
    /// What the copy's workers prefer to run on, counting their jobs (the daemon's is curl's I/O thread).
    let executor = CountingExecutor()
    let base: StaticCredentialProvider
    var tuning = S3CopyTuning(objectRetries: 8, backoffBase: .milliseconds(2), backoffCap: .milliseconds(20))

    init(nameHold: TimeInterval = 3600) throws {
        fixture = try EngineFixture(inMemoryFilesystem: true)
        simulator = Simulator(
            configuration: SimConfiguration(region: "us-east-1", bucketNameHold: nameHold), clock: SharedSimClock(fixture.clock))
        try simulator.addAccount(id: Self.legacy, name: "legacy")
        try simulator.addAccount(id: Self.product, name: "product")
        try simulator.addAccount(id: Self.squatter, name: "squatter")
        let key = try simulator.addUser(account: Self.legacy, name: "cutoverd")
        try simulator.addRole(account: Self.product, name: "CutoverTarget", trustedPrincipals: [Self.legacy], externalId: "popinfo-2026")
        base = StaticCredentialProvider(AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey))
    }

    static let accountsYAML = """
        accounts:
          legacy:  { id: "111111111111" }
          product: { role: "arn:aws:iam::222222222222:role/CutoverTarget", externalId: "popinfo-2026" }
        approvals: { approvers: ["group:cutover-approvers"], required: 1 }
        """

    /// A runbook moving `bucket` with the given forced wait.
    static func moveRunbook(
        bucket: String = "admin-images", staging: String = "admin-images-staging", forcedWait: String = "1h",
        recreate: String = "{ every: 10s, for: 5m }"
    ) -> String {
        """
        apiVersion: cutover/v1
        name: images-move
        region: us-east-1
        \(accountsYAML)
        steps:
          - id: move-images
            uses: s3.move-bucket
            with: { bucket: \(bucket), from: legacy, to: product, staging: \(staging),
                    forcedWait: \(forcedWait), recreate: \(recreate) }
        """
    }

    func plan(_ yaml: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: yaml, file: "test.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    /// Sessions as the daemon builds them for `plan`, on the simulator and the virtual clock.
    func sessions(_ plan: RunbookPlan) -> RunbookAccountSessions {
        let clock = fixture.clock
        return RunbookAccountSessions(
            accounts: plan.accounts, region: plan.region, base: base, transport: SimulatorTransport(simulator, taskExecutor: executor),
            retry: RetryConfiguration(maxAttempts: 4, maxBackoff: .milliseconds(10), baseDelay: .milliseconds(1)),
            sessionName: "cutover-test", now: { clock.now() })
    }

    func registry(_ plan: RunbookPlan) -> StepRegistry {
        var registry = StepRegistry()
        for (type, step) in S3Steps.executors(sessions: sessions(plan), tuning: tuning) { registry.register(type, step) }
        return registry
    }

    /// Plans `yaml`, wires the engine to real executors and starts the run.
    func start(_ yaml: String) async throws -> RunExecutor {
        let plan = try plan(yaml)
        fixture.registry = registry(plan)
        try fixture.reopen()
        return try await fixture.start(plan)
    }

    /// A source bucket in legacy with `count` objects carrying tags, metadata and a content type;
    /// every third object without a stored checksum (so verification must hash it).
    @discardableResult
    func seedSource(_ bucket: String = "admin-images", count: Int, size: Int = 256) throws -> [String: Data] {
        try simulator.seedBucket(bucket, account: Self.legacy)
        var bodies: [String: Data] = [:]
        for index in 0..<count {
            let key = "images/\(String(format: "%04d", index)).jpg"
            let pattern = Array("\(key)#content\n".utf8)
            let body = Data((0..<(size + index % 7)).map { pattern[$0 % pattern.count] })
            let write = S3ObjectWrite(
                contentType: "image/jpeg", cacheControl: "max-age=60", metadata: ["origin": "legacy-\(index)"],
                tags: [S3TagPair(key: "team", value: "admin"), S3TagPair(key: "n", value: String(index))],
                storageClass: index % 5 == 0 ? "STANDARD_IA" : "STANDARD")
            try simulator.seedObject(bucket: bucket, key: key, body: body, write: write, checksumSHA256: index % 3 != 0)
            bodies[key] = body
        }
        return bodies
    }

    /// Approves every gate that waits, as an on-call approver would.
    static let approver: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
        return acted
    }

    /// One point of a crash harness: `plan` started with the journal failing at write `write`
    /// (before it lands, or just after with `afterWrite`), driven until that "process" dies, then
    /// the engine reopened and the run resumed to its end, as a restarted daemon does.
    /// `afterCrash` runs between the two (e.g. to look at the world the crash left).
    func crashAndResume(
        _ plan: RunbookPlan, at write: Int64, afterWrite: Bool, onIdle: @escaping @Sendable (RunExecutor) async -> Bool = { _ in false },
        afterCrash: () -> Void = {}
    ) async throws -> (run: RunExecutor, end: EngineDriver.Stop) {
        fixture.registry = registry(plan)
        try fixture.reopen()
        if afterWrite { fixture.journal.faults.crash(afterAppend: write) } else { fixture.journal.faults.crash(atAppend: write) }
        let crashed = try await fixture.start(plan)
        _ = await fixture.driver.drive(crashed, onIdle: onIdle)
        afterCrash()
        try fixture.reopen()
        let run = try await fixture.engine.executor(for: crashed.runId)
        return (run, await fixture.driver.drive(run, onIdle: onIdle))
    }

    func requests(_ operation: String, on resource: String? = nil) -> [SimRequestRecord] {
        simulator.requests(where: { $0.operation == operation && (resource == nil || $0.resource == resource) })
    }
}
