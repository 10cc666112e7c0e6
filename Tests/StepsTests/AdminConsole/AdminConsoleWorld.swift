import AWSClient
import AWSSimulator
import Engine
import Foundation
import Runbook
import Steps
import TestSupport

/// The world `Runbooks/examples/admin-console-moves.yaml` expects, in one in-process simulator on the
/// engine fixture's virtual clock, in ap-northeast-1:
///
/// - `legacy` (111…): the daemon's own user `cutoverd`, the role `CutoverSource` it assumes with
///   the external ID `admin-console-cutover`, the MySQL instance `admin-db` encrypted under a
///   customer managed key shared with product, and the bucket `admin-images` with a few tagged
///   objects;
/// - `product` (222…): the role `CutoverTarget` trusting legacy, the key `alias/admin-db`, the
///   subnet group `admin-private` and the security group `sg-0abc`.
///
/// The fixture's clock starts at 2026-11-30T15:50Z, ten minutes before the runbook's window
/// (01:00–05:00 +09:00 = 16:00–20:00Z); `EngineFixture.epoch` is after the window's end.
/// RDS takes one modelled minute per phase so the polled steps make few journal writes.
final class AdminConsoleWorld: Sendable {
    static let legacy = "111111111111"
    static let product = "222222222222"
    static let region = "ap-northeast-1"
    static let bucket = "admin-images"
    static let staging = "admin-images-staging"
    static let objectCount = 4

    /// 2026-11-30T15:50:00Z, ten minutes before the window opens.
    static let start = Date(timeIntervalSince1970: 1_796_053_800)

    /// The repository's runbook, read from the package root found from this source file.
    static let runbookURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Runbooks/examples/admin-console-moves.yaml")

    let fixture: EngineFixture
    let simulator: Simulator
    let base: StaticCredentialProvider
    let targetKeyArn: String
    /// The objects seeded in legacy's `admin-images`, by key.
    let bodies: [String: Data]
    let tuning = S3CopyTuning(objectRetries: 8, backoffBase: .milliseconds(2), backoffCap: .milliseconds(20))

    /// - Parameter forwarding: services handed on to a moto server (the switch-over half of the
    ///   whole cutover, `SwitchoverMotoWorld`); nil for the moves alone.
    init(forwarding: SimForwarding? = nil) throws {
        fixture = try EngineFixture(now: Self.start, inMemoryFilesystem: true)
        let timings = RDSTimings(
            instanceCreating: 60, instanceBackingUp: 60, instanceModifying: 60, instanceDeleting: 60, snapshotCreating: 60,
            snapshotCopying: 60)
        simulator = Simulator(
            configuration: SimConfiguration(region: Self.region, bucketNameHold: 3600, rds: timings), clock: SharedSimClock(fixture.clock),
            forwarding: forwarding)
        try simulator.addAccount(id: Self.legacy, name: "legacy")
        try simulator.addAccount(id: Self.product, name: "product")
        let key = try simulator.addUser(account: Self.legacy, name: "cutoverd")
        try simulator.addRole(
            account: Self.legacy, name: "CutoverSource", trustedPrincipals: [Self.legacy], externalId: "admin-console-cutover")
        try simulator.addRole(account: Self.product, name: "CutoverTarget", trustedPrincipals: [Self.legacy])
        base = StaticCredentialProvider(AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey))

        let sourceKey = try simulator.createKMSKey(
            account: Self.legacy, description: "admin-db", sharedWith: [Self.product], alias: "alias/legacy-admin-db")
        try simulator.seedDBInstance(
            SimDBInstanceSeed(
                identifier: "admin-db", engine: "mysql", engineVersion: "8.0.40", storageEncrypted: true,
                kmsKeyId: sourceKey.arn, tags: ["app": "admin-console"]),
            account: Self.legacy)
        targetKeyArn = try simulator.createKMSKey(account: Self.product, description: "admin-db in product", alias: "alias/admin-db").arn
        simulator.seedRDSNetwork(
            account: Self.product, subnetGroups: ["admin-private": "vpc-0product"], securityGroups: ["sg-0abc": "vpc-0product"])

        try simulator.seedBucket(Self.bucket, account: Self.legacy)
        var bodies: [String: Data] = [:]
        for index in 0..<Self.objectCount {
            let key = "images/\(String(format: "%04d", index)).jpg"
            let pattern = Array("\(key)#admin-console\n".utf8)
            let body = Data((0..<(96 + index * 13)).map { pattern[$0 % pattern.count] })
            let write = S3ObjectWrite(
                contentType: "image/jpeg", metadata: ["origin": "legacy-\(index)"],
                tags: [S3TagPair(key: "app", value: "admin-console"), S3TagPair(key: "n", value: String(index))])
            // Every other object without a stored checksum, so verification has to hash it.
            try simulator.seedObject(bucket: Self.bucket, key: key, body: body, write: write, checksumSHA256: index % 2 == 0)
            bodies[key] = body
        }
        self.bodies = bodies
    }

    static func runbookText() throws -> String { try String(contentsOf: runbookURL, encoding: .utf8) }

    /// The window this world's runbooks are planned with: 2026-12-01T01:00+09:00 for four hours,
    /// ten minutes after `start` on the virtual clock (fixed dates are fine here: every clock in
    /// this world is the fixture's).
    static let windowParameters = ["windowStart": "2026-12-01T01:00:00+09:00", "windowEnd": "2026-12-01T05:00:00+09:00"]

    static func plan() throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: try runbookText(), file: "admin-console-moves.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: windowParameters)
    }

    /// Fresh sessions and executors for `plan`, as a (re)started daemon builds them; installed
    /// in the fixture before its next `reopen()`.
    func installRegistry(_ plan: RunbookPlan) {
        let sessions = sessions(plan)
        // Every step type, as the daemon has them, with the S3 copy's retries made quick.
        var registry = StepLibrary.registry(sessions: sessions)
        for (type, step) in S3Steps.executors(sessions: sessions, tuning: tuning) { registry.register(type, step) }
        fixture.registry = registry
    }

    /// The plan's accounts reached from the daemon's user, as the daemon reaches them.
    func sessions(_ plan: RunbookPlan) -> RunbookAccountSessions {
        let clock = fixture.clock
        return RunbookAccountSessions(
            accounts: plan.accounts, region: plan.region, base: base, transport: SimulatorTransport(simulator),
            retry: RetryConfiguration(maxAttempts: 4, maxBackoff: .milliseconds(10), baseDelay: .milliseconds(1)),
            sessionName: "cutover-test", now: { clock.now() })
    }

    /// Starts the admin-console run with the runbook's own text as its source.
    func start(_ plan: RunbookPlan, source: String? = nil) async throws -> RunExecutor {
        installRegistry(plan)
        try fixture.reopen()
        return try await fixture.engine.start(
            plan: plan, runbookSource: try source ?? Self.runbookText(), parameters: [:], initiator: TestPeople.initiator)
    }

    /// Approves every gate that waits as alice — in `group:cutover-approvers` and not the
    /// initiator, whom the runbook refuses.
    ///
    /// An approval the journal refuses (an injected crash) halts the executor; reporting that as
    /// a change makes the driver settle again and stop at `.halted`, instead of jumping the
    /// clock to the run's next wake-up (the window's end) as if the dead process had slept on.
    static let approver: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
        if acted { return true }
        return await run.isHalted
    }

    func requests(_ operation: String, on resource: String? = nil) -> [SimRequestRecord] {
        simulator.requests(where: { $0.operation == operation && (resource == nil || $0.resource == resource) })
    }
}
