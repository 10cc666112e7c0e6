import AWSServices
import Audit
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Invariant 7 for the steps that touch secrets: a switch-over that writes a secret (keeping its
/// password), writes a SecureString from a secret's key and rolls both back (reading the old
/// SecureString from its history) leaves none of those values in the journal's SQLite files, the
/// audit export, the timeline or the plan — in any of the forms encoders leave them.
@Suite struct SettingsAndDNSSecrecyTests {
    @Test func noSecretValueReachesTheJournalTheAuditExportOrThePlan() async throws {
        let world = try SettingsMotoWorld()
        let seeded = try await world.seed(existingRecord: SettingsAndDNSMotoTests.oldRecord(world))
        let yaml = world.runbook(zone: seeded.zone)
        let run = try await world.start(yaml)
        // At the gate the secret and the SecureString hold their new values; then roll back.
        let stop = await world.fixture.driver.drive(run, onIdle: SettingsMotoWorld.rollBackAtTheGate)
        #expect(stop == .finished(.rolledBack))
        #expect(await run.state.steps["set-url"]?.undone == true)
        // The values were really used: the SecureString holds its old value again, written back
        // from its history, and the secret's new version existed.
        #expect(
            try await world.ssm.parameterHistory(world.secureParameter, withDecryption: true).map(\.value)
                == [world.oldSecure, world.newURL, world.oldSecure])

        let scanner = SecretScanner(secrets: [
            .init(name: "the secret's password", value: world.password),
            .init(name: "the secret string", value: world.originalSecret),
            .init(name: "the old SecureString", value: world.oldSecure),
            .init(name: "the new SecureString", value: world.newURL),
        ])
        let bundle = try AuditBundle.export(run: run.runId, from: world.fixture.journal, anchorLog: nil, publicKey: nil)
        let exportPath = world.fixture.directory.appendingPathComponent("export.jsonl").path
        try bundle.write(to: exportPath)
        let timeline = try AuditTimeline(records: bundle.records)
        let plan = try world.plan(yaml)

        var findings = try scanner.scan(directory: world.fixture.directory.path)
        findings += scanner.scan(timeline.text, source: "timeline text")
        findings += scanner.scan(try timeline.json(), source: "timeline JSON")
        findings += scanner.scan(PlanRenderer().text(plan), source: "plan text")
        findings += scanner.scan(PlanRenderer().json(plan), source: "plan JSON")
        #expect(findings.isEmpty, "\(findings)")

        // The scan did look at the journal and the export, and they hold the run's version IDs.
        let files = try FileManager.default.contentsOfDirectory(atPath: world.fixture.directory.path)
        #expect(files.contains("journal.sqlite") && files.contains("export.jsonl"))
        let versionId = try #require(await run.state.steps["set-secret"]?.outputs["versionId"])
        #expect(try String(contentsOfFile: exportPath, encoding: .utf8).contains(versionId))
        #expect(PlanRenderer().json(plan).contains("key `url` of secret `\(world.secretId)` (value not shown)"))
    }
}
