import AWSClient
import AWSSimulator
import Audit
import Engine
import Foundation
import Journal
import Runbook
import TestSupport
import Testing

/// Invariant 7 (secrets never reach the journal), checked on a whole run that signs real
/// requests with test credentials against the in-process simulator.
@Suite struct SecretScanTests {
    static let accessKeyId = "AKIAAUDITTEST0000001"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYAUDITKEY01"
    static let sessionToken = "FwoGZXIvYXdzEAUDIT//////////wEaDSessionTokenForTheAuditScan+/="

    var scanner: SecretScanner {
        SecretScanner(secrets: [
            .init(name: "legacy access key ID", value: Self.accessKeyId),
            .init(name: "legacy secret access key", value: Self.secret),
            .init(name: "session token", value: Self.sessionToken),
        ])
    }

    @Test func theScannerFindsSecretsInTheFormsEncodersLeaveThem() {
        let forms = [
            ("as is", "secret=\(Self.secret)"),
            ("JSON-escaped", "{\"s\":\"\(Self.secret.replacingOccurrences(of: "/", with: "\\/"))\"}"),
            ("percent-encoded", "X-Amz-Security-Token=" + Self.sessionToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
            ("base64", "Authorization: Basic " + Data("x:\(Self.secret)".utf8).base64EncodedString()),
        ]
        for (form, text) in forms {
            let findings = scanner.scan("line one\n" + text, source: "test")
            #expect(findings.count == 1, "\(form)")
            #expect(findings.first?.form == form)
            #expect(findings.first?.line == 2)
            #expect(findings.first.map { !"\($0)".contains(Self.secret) } == true)
        }
        #expect(scanner.scan("AKIAAUDITTEST000000 wJalrXUtnFEMI K7MDENG", source: "near misses").isEmpty)
    }

    @Test func aWholeRunsJournalExportAndReportsHoldNoneOfTheCredentialsUsed() async throws {
        let engine = try EngineFixture()
        let simulator = Simulator(configuration: SimConfiguration(region: "us-east-1"), clock: SharedSimClock(engine.clock))
        try simulator.addAccount(id: "111111111111", name: "legacy")
        try simulator.addUser(account: "111111111111", name: "cutover", accessKeyId: Self.accessKeyId, secret: Self.secret)
        let client = AWSClient(
            service: .s3, region: "us-east-1",
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: Self.accessKeyId, secretAccessKey: Self.secret)),
            transport: SimulatorTransport(simulator), retry: .init(maxAttempts: 1), account: "111111111111",
            now: { engine.clock.now() }, sleep: { _ in })
        engine.registry = StepRegistry(["sim.create-bucket": CreateBucketStep(client: client)])
        try engine.reopen()
        let key = try AuditKey.loadOrCreate(stateDirectory: engine.directory.path)
        let anchors = CheckpointAnchorLog(stateDirectory: engine.directory.path)
        let checkpointer = Checkpointer(journal: engine.journal, key: key, anchors: anchors, interval: 3)

        var plan = TestPlan()
        plan.add("create-staging", type: "sim.create-bucket", inputs: [("bucket", .string("admin-images-staging"))])
        plan.add("create-logs", type: "sim.create-bucket", inputs: [("bucket", .string("admin-logs"))])
        let run = try await engine.start(plan.build(), initiator: TestPeople.initiator)
        #expect(await engine.driver.drive(run) == .finished(.completed))
        try checkpointer.checkpointAll()

        // The run really signed requests: the journal holds the simulator's request IDs.
        let records = try engine.journal.records(stream: run.runId)
        let calls = records.compactMap { record -> AWSCallRecord? in
            guard case let .awsCall(call)? = try? RunEvent(record) else { return nil }
            return call.call
        }
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { $0.outcome == "ok" && ($0.requestId ?? "").count >= 8 })

        let bundle = try AuditBundle.export(run: run.runId, from: engine.journal, anchorLog: anchors, publicKey: key.publicKey)
        let bundlePath = engine.directory.appendingPathComponent("export.jsonl").path
        try bundle.write(to: bundlePath)
        let verification = AuditVerifier.verify(bundle: bundle, pinnedKey: key.publicKey)
        #expect(verification.valid, "\(verification)")
        let timeline = try AuditTimeline(records: bundle.records)
        let html = AuditHTMLReport(timeline: timeline, verification: verification).render()

        var findings = try scanner.scan(directory: engine.directory.path)
        findings += scanner.scan(timeline.text, source: "timeline text")
        findings += scanner.scan(try timeline.json(), source: "timeline JSON")
        findings += scanner.scan(html, source: "HTML report")
        #expect(findings.isEmpty, "\(findings)")
        // The scan did look at the journal and the export.
        let scanned = try FileManager.default.contentsOfDirectory(atPath: engine.directory.path)
        #expect(scanned.contains("journal.sqlite") && scanned.contains("export.jsonl") && scanned.contains("checkpoints.jsonl"))
    }
}

/// Creates an S3 bucket in the simulator through the real client (signed with SigV4) and journals
/// the call with its request ID, as the real S3 steps do.
struct CreateBucketStep: Step {
    let client: AWSClient

    func run(_ context: StepContext) async throws -> StepResult {
        let bucket = context.step.inputs["bucket"]?.stringValue ?? context.step.id
        let response = try await client.send(AWSRequest(operation: "CreateBucket", method: "PUT", bucket: bucket, resource: bucket))
        try await context.record(
            AWSCallRecord(
                service: "s3", operation: "CreateBucket", account: client.account, region: client.region, resource: bucket,
                requestId: response.requestId, outcome: "ok", mutating: true))
        return .done(outputs: ["bucket": bucket])
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }
}
