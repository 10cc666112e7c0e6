import AWSClient
import AWSServices
import Engine
import Foundation
import Journal
import Runbook
import Steps
import TestSupport
import Testing

/// Invariants 1–2 for the secret, parameter and DNS steps, against moto: a switch-over rolled
/// back at its final gate is crashed at every journal write — once with the write lost, once just
/// after it landed — then resumed by a fresh engine on the same SQLite journal and driven to its
/// end. Every crash point must end rolled back with the same AWS state as an uncrashed run: the
/// secret's AWSCURRENT back on its first version with exactly one version written, the
/// SecureString written once and restored once, the parameter the run created deleted, the old
/// alias back, the new TXT record gone. One harness per step type, so the three run side by side.
///
/// moto, not an in-process fake: every call these steps make is one moto implements with
/// signature checking on (docs/MOTO-FINDINGS.md), so each crash point's `check` and undo read
/// a real, independent implementation's state.
@Suite struct SettingsAndDNSCrashTests {
    @Test func everyJournalWriteOfTheSecretStepRecovers() async throws {
        try await harness("secret", include: ["set-secret"], writes: ["set-secret"])
    }

    @Test func everyJournalWriteOfTheParameterStepsRecovers() async throws {
        try await harness("parameters", include: ["set-host", "set-url"], writes: ["set-host", "set-url"])
    }

    @Test func everyJournalWriteOfTheRecordStepsRecovers() async throws {
        try await harness("dns", include: ["switch-dns", "mark-version"], writes: ["switch-dns.upsert", "mark-version.upsert"])
    }

    /// - Parameter writes: the mutating primitives; for each, some crash point must have landed
    ///   its AWS write and lost the outcome, so that its `check` had to find it (`done`).
    func harness(_ label: String, include: Set<String>, writes mutating: Set<String>) async throws {
        let clean = try SettingsMotoWorld()
        let seeded = try await clean.seed(existingRecord: SettingsAndDNSMotoTests.oldRecord(clean), include: include)
        let cleanRun = try await clean.start(clean.runbook(zone: seeded.zone, include: include))
        #expect(await clean.fixture.driver.drive(cleanRun, onIdle: SettingsMotoWorld.rollBackAtTheGate) == .finished(.rolledBack))
        try await Self.expectRestored(clean, seeded, include: include, context: "\(label) without a crash")
        let writes = clean.fixture.journal.faults.appendsAttempted
        let started = ContinuousClock.now
        var covered = 0
        var foundByCheck: Set<String> = []
        for write in 2...writes {
            for afterWrite in [false, true] {
                foundByCheck.formUnion(try await crashAndRecover(label, include: include, at: write, afterWrite: afterWrite))
                covered += 1
            }
        }
        #expect(foundByCheck.isSuperset(of: mutating), "\(label): check confirmed only \(foundByCheck.sorted())")
        print("\(label) crash harness (moto): \(covered) crash points over \(writes) journal writes in \(ContinuousClock.now - started)")
    }

    /// Returns the primitives whose `check` found their effect done after this crash.
    func crashAndRecover(_ label: String, include: Set<String>, at write: Int64, afterWrite: Bool) async throws -> Set<String> {
        let context = "\(label): crash \(afterWrite ? "after" : "at") write \(write)"
        let world = try SettingsMotoWorld()
        let seeded = try await world.seed(existingRecord: SettingsAndDNSMotoTests.oldRecord(world), include: include)
        let plan = try world.plan(world.runbook(zone: seeded.zone, include: include))
        world.fixture.registry = world.registry(plan)
        try world.fixture.reopen()
        if afterWrite {
            world.fixture.journal.faults.crash(afterAppend: write)
        } else {
            world.fixture.journal.faults.crash(atAppend: write)
        }
        let first = try await world.fixture.start(plan)
        _ = await world.fixture.driver.drive(first, onIdle: SettingsMotoWorld.rollBackAtTheGate)

        try world.fixture.reopen()
        let run = try await world.fixture.engine.executor(for: first.runId)
        let end = await world.fixture.driver.drive(run, onIdle: SettingsMotoWorld.rollBackAtTheGate)
        let reason = await run.state.statusReason
        #expect(end == .finished(.rolledBack), "\(context): \(end) \(reason)")
        try await Self.expectRestored(world, seeded, include: include, context: context)
        return Set(
            try world.fixture.events(first.runId).compactMap { event, _ in
                guard case let .attemptReconciled(reconciled) = event, reconciled.finding == .done else { return nil }
                return reconciled.step
            })
    }

    /// What an uncrashed rollback leaves, for the steps in `include`, with no effect doubled.
    static func expectRestored(
        _ world: SettingsMotoWorld, _ seeded: (secretVersion: String, zone: String), include: Set<String>, context: String
    ) async throws {
        if include.contains("set-secret") {
            let described = try await world.secrets.describeSecret(world.secretId)
            #expect(described.version(holding: SecretStage.current) == seeded.secretVersion, "\(context)")
            #expect(described.versionStages.count == 2, "\(context): exactly one version written: \(described.versionStages)")
            #expect(try await world.secrets.getSecretValue(world.secretId).string == world.originalSecret, "\(context)")
        }
        if include.contains("set-url") {
            let url = try await world.ssm.parameterHistory(world.secureParameter, withDecryption: true)
            #expect(url.last?.value == world.oldSecure && url.last?.type == .secureString, "\(context)")
            #expect(url.count == 3, "\(context): written once, restored once: versions \(url.map(\.version))")
        }
        if include.contains("set-host") {
            let host = await #expect(throws: AWSError.self, "\(context)") {
                try await world.ssm.parameterHistory(world.parameter, withDecryption: false)
            }
            #expect(host.map { $0.code == .parameterNotFound } == true, "\(context)")
        }
        if include.contains("switch-dns") {
            let admin = try await world.route53B().recordSet(zone: seeded.zone, name: "admin.\(world.domain)", type: "A")
            #expect(admin?.matches(SettingsAndDNSMotoTests.oldRecord(world)) == true, "\(context): \(String(describing: admin))")
        }
        if include.contains("mark-version") {
            #expect(
                try await world.route53B().recordSet(zone: seeded.zone, name: "version.\(world.domain)", type: "TXT") == nil, "\(context)")
        }
    }
}
