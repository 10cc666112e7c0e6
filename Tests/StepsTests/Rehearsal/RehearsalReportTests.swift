import Engine
import Foundation
import Rehearsal
import Runbook
import Steps
import Testing

/// Issue 20 item 2: the rehearsal report is a pure function of the plan, the discovery inventory
/// and what the twin's run recorded. Fixed inputs here: the admin-console plan, a 9,000-object
/// bucket and a 100 GiB database, every non-modelled step 10 simulated seconds.
@Suite struct RehearsalReportTests {
    static let inventoryJSON = """
        {"region": "ap-northeast-1",
         "accounts": [{"label": "legacy", "id": "111111111111"}, {"label": "product", "id": "222222222222"}],
         "buckets": [
           {"account": "legacy", "name": "admin-images", "exists": true, "objectLock": false, "configurations": [],
            "profile": {"groups": [{"prefix": "images/", "objects": 9000, "bytes": 90000000, "sizeSample": [1000, 20000],
                                    "storageClasses": {"STANDARD": 9000}}]}},
           {"account": "product", "name": "admin-images-staging", "exists": false, "objectLock": false, "configurations": []}],
         "dbInstances": [
           {"account": "legacy", "identifier": "admin-db", "exists": true, "allocatedStorage": 100, "storageEncrypted": true,
            "securityGroups": [], "parameterGroups": [], "optionGroups": [], "deletionProtection": false, "multiAZ": false,
            "tags": {}}],
         "dbClusters": [], "keys": [], "subnetGroups": {}, "securityGroups": {}, "calls": {}, "problems": []}
        """

    static func inventory() throws -> TwinInventory {
        try JSONDecoder().decode(TwinInventory.self, from: Data(inventoryJSON.utf8))
    }

    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    /// Every step succeeded, each 10 simulated seconds apart.
    static func completed(_ plan: RunbookPlan) -> RehearsalRecord {
        RehearsalRecord(
            runId: "r1", runStatus: "completed", runReason: "every step succeeded", speed: 600, startedAt: t0,
            endedAt: t0.addingTimeInterval(Double(plan.steps.count) * 10), realSeconds: 12.5,
            steps: plan.steps.enumerated().map { index, step in
                RehearsalRecord.Step(
                    id: step.id, status: "succeeded", attempts: 1, firstEvent: t0.addingTimeInterval(Double(index) * 10),
                    lastEvent: t0.addingTimeInterval(Double(index) * 10 + 10), error: nil)
            },
            approvals: [
                .init(
                    step: "maintenance-on", message: "Put the admin console into maintenance mode, then approve.",
                    realPolicy: "1 of group:cutover-approvers, not the initiator", pointOfNoReturn: false, answeredAt: t0)
            ],
            preflight: [.init(account: "legacy", check: "identity", outcome: "ok", detail: "arn:aws:sts::111111111111:assumed-role/x")])
    }

    @Test func projectsEveryStepFromItsBasisAndFindsTheCriticalPath() throws {
        let plan = try AdminConsoleWorld.plan()
        var record = Self.completed(plan)
        let snapshot = try #require(record.steps.firstIndex { $0.id == "move-db.snapshot" })
        record.steps[snapshot].attempts = 2
        let report = RehearsalReport.build(plan: plan, inventory: try Self.inventory(), record: record)

        #expect(report.steps.map(\.id) == plan.steps.map(\.id))
        #expect(report.steps.allSatisfy { $0.outcome == "succeeded" && $0.simulatedSeconds == 10 })
        #expect(report.run.succeeded && report.failures.isEmpty)
        func projection(_ id: String) -> RehearsalReport.Projection? { report.steps.first { $0.id == id }?.projection }
        let copy = 9000.0 / 890
        #expect(
            projection("precopy-images.copy")
                == .init(
                    seconds: copy, basis: "measured-copy-rate",
                    detail: "9000 objects at 890 objects/s (measured)"))
        // The copy back reads the staging bucket, which only the run fills: as many objects as went in.
        #expect(projection("move-images.copy-back")?.seconds == copy)
        #expect(projection("move-db.wait-snapshot")?.seconds == (5 + 0.5 * 100) * 60)
        #expect(projection("move-db.wait-copy")?.seconds == Double((5 + 1 * 100) * 60))
        #expect(projection("move-db.wait-restore")?.seconds == (15 + 0.1 * 100) * 60)
        #expect(projection("move-db.wait-copy")?.basis == "rds-rate-assumption")
        #expect(
            projection("move-images.forced-wait")
                == .init(
                    seconds: 3600, basis: "configured-wait",
                    detail: "the runbook waits 1h; AWS may hold a name longer"))
        #expect(projection("maintenance-on") == .init(seconds: 300, basis: "runbook-estimate", detail: "people: the runbook's estimate"))
        // A step that retried: its simulated time; one that only made calls: the real time they took (10 s at ×600).
        #expect(
            projection("move-db.snapshot")
                == .init(seconds: 10, basis: "twin-duration", detail: "as long as on the twin (it retried or polled)"))
        let calls = 10.0 / 600
        #expect(projection("move-db.share")?.seconds == calls)
        #expect(projection("move-db.share")?.basis == "twin-real-time")

        // The database branch is the longer one: approvals 2 × 300, the snapshot's 10 s, ten
        // call-only steps (five of them the share-key steps of `sourceShareKey: auto`, not needed
        // for this source), 3,300 + 6,300 + 1,500.
        #expect(
            report.window.criticalPath == [
                "precopy-images.ensure-target", "precopy-images.copy", "maintenance-on", "move-db.preflight", "move-db.share-key",
                "move-db.snapshot", "move-db.wait-snapshot", "move-db.rekey", "move-db.wait-rekey", "move-db.share", "move-db.copy",
                "move-db.wait-copy", "move-db.restore", "move-db.wait-restore", "move-db.verify", "move-db.remove-share-copy",
                "move-db.delete-share-key", "maintenance-off",
            ])
        let inWindow = 600 + 10 + 10 * calls + 3300 + 6300 + 1500
        #expect(abs(report.window.inWindowSeconds - inWindow) < 1e-9)
        #expect(abs(report.window.totalSeconds - (inWindow + calls + copy)) < 1e-9)
        #expect(report.window.windowSeconds == Double(4 * 3600))
        #expect(report.window.fits == true)
        #expect(abs((report.window.spareSeconds ?? 0) - (14_400 - inWindow)) < 1e-9)
        #expect(report.steps.filter(\.onCriticalPath).map(\.id) == report.window.criticalPath)

        #expect(
            report.pointsOfNoReturn.map(\.step) == ["move-images.empty-source", "move-images.delete-source", "move-images.remove-staging"])
        #expect(report.pointsOfNoReturn.allSatisfy { $0.reached })
        #expect(report.approvals.map(\.step) == ["maintenance-on"])
        let text = report.text
        #expect(text.contains("the unchanged runbook ran to its end on the twin"))
        #expect(text.contains("window 4h: fits, 44m50s to spare"))
        #expect(text.contains("move-db.wait-copy: snapshot copy of admin-db, 100 GiB allocated: 5 min + 1 min/GiB (assumed)"))
        #expect(text.contains("maintenance-on: the real run needs 1 of group:cutover-approvers, not the initiator"))
    }

    @Test func aFailedStepIsNamedWithItsErrorAndLaterStepsAreNotReached() throws {
        let plan = try AdminConsoleWorld.plan()
        var record = Self.completed(plan)
        let failedAt = try #require(plan.steps.firstIndex { $0.id == "precopy-images.ensure-target" })
        for index in record.steps.indices where index > failedAt {
            record.steps[index] = .init(
                id: record.steps[index].id, status: "pending", attempts: 0, firstEvent: nil, lastEvent: nil, error: nil)
        }
        let error =
            "BucketAlreadyExists: the bucket name admin-images-staging is taken by another account (account product, resource admin-images-staging, request 4F2A)"
        record.steps[failedAt] = .init(
            id: "precopy-images.ensure-target", status: "failed", attempts: 1, firstEvent: Self.t0,
            lastEvent: Self.t0.addingTimeInterval(1), error: error)
        record.runStatus = "paused"
        record.runReason = "precopy-images.ensure-target failed"
        record.approvals = []
        let report = RehearsalReport.build(plan: plan, inventory: try Self.inventory(), record: record)

        #expect(!report.run.succeeded)
        #expect(report.failures == [.init(step: "precopy-images.ensure-target", error: error)])
        #expect(report.steps.first?.outcome == "failed")
        #expect(report.steps.dropFirst().allSatisfy { $0.outcome == "not-reached" })
        // Not run on the twin: the runbook's estimate.
        #expect(report.steps.first { $0.id == "move-db.snapshot" }?.projection.basis == "runbook-estimate")
        #expect(report.pointsOfNoReturn.allSatisfy { !$0.reached })
        #expect(report.text.contains("precopy-images.ensure-target: \(error)"))
        #expect(report.text.contains("did NOT go through: paused"))
    }

    /// At a high --speed, real-time work stretches the twin's clock: a window that closes on the
    /// twin while the projection fits is reported as the rehearsal's limit, with what to do.
    @Test func aTwinWindowClosedBySpeedSaysToLowerTheSpeed() throws {
        let plan = try AdminConsoleWorld.plan()
        var record = Self.completed(plan)
        record.runStatus = "paused"
        record.runReason = "the maintenance window ended"
        let last = record.steps.count - 1
        record.steps[last] = .init(id: record.steps[last].id, status: "pending", attempts: 0, firstEvent: nil, lastEvent: nil, error: nil)
        let report = RehearsalReport.build(plan: plan, inventory: try Self.inventory(), record: record)
        #expect(report.window.fits == true && !report.run.succeeded)
        #expect(report.failures.map(\.step) == [nil, nil])
        #expect(report.failures.last?.error.contains("rehearse again with a lower --speed") == true)
        #expect(report.failures.last?.error.contains("×600") == true)
        #expect(report.steps.last?.outcome == "not-reached")
    }

    @Test func theJSONHasTheDocumentedShapeAndTheHTMLEscapes() throws {
        let plan = try AdminConsoleWorld.plan()
        var record = Self.completed(plan)
        record.steps[0].error = "<script>alert(1)</script>"
        let report = RehearsalReport.build(plan: plan, inventory: try Self.inventory(), record: record)
        let data = try report.json()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(object.keys) == [
                "runbook", "run", "steps", "approvals", "pointsOfNoReturn", "preflight", "discoveryProblems", "failures", "window",
                "basis", "fidelityGaps",
            ])
        let step = try #require((object["steps"] as? [[String: Any]])?.first)
        #expect(
            Set(step.keys).isSuperset(of: [
                "id", "type", "title", "outcome", "attempts", "simulatedSeconds", "projection",
                "pointOfNoReturn", "onCriticalPath", "inWindow",
            ]))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(RehearsalReport.self, from: data) == report)

        let html = report.html(generatedAt: Self.t0)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<code>move-db.wait-copy</code>"))
    }

    @Test func theRehearsalPlanLetsTheRehearsalAnswerEveryGateAndKeepsTheRest() throws {
        let plan = try AdminConsoleWorld.plan()
        let rehearsal = plan.rehearsingApprovals()
        #expect(rehearsal.hash == rehearsal.computeHash() && rehearsal.hash != plan.hash)
        #expect(rehearsal.steps.map(\.id) == plan.steps.map(\.id))
        let operatorIdentity = OperatorIdentity(user: "ops", uid: 1000, groups: ["ops"])
        for (real, rehearsed) in zip(plan.steps, rehearsal.steps) {
            #expect(rehearsed.inputs == real.inputs && rehearsed.reversibility == real.reversibility)
            guard let policy = real.approval ?? (real.reversibility.isPointOfNoReturn ? ApprovalPolicy() : nil) else {
                #expect(rehearsed.approval == nil)
                continue
            }
            let lifted = try #require(rehearsed.approval)
            #expect(lifted.required == policy.required && lifted.timeout == policy.timeout)
            // The real gate refuses the initiator; the rehearsal's lets them answer.
            #expect(
                ApprovalRules.refusal(policy: policy, identity: operatorIdentity, initiator: operatorIdentity, previous: [], step: real.id)
                    != nil)
            #expect(
                ApprovalRules.refusal(policy: lifted, identity: operatorIdentity, initiator: operatorIdentity, previous: [], step: real.id)
                    == nil)
            if let undo = rehearsed.undoApproval { #expect(undo.policy.allowInitiator && undo.policy.approvers.isEmpty) }
        }
    }
}
