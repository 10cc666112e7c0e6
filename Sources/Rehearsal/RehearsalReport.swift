import Foundation
import Runbook

/// A rehearsal's report: every step of the plan with its outcome on the twin, how long it took in
/// simulated time and how long it is projected to take for real, the approvals the rehearsal
/// answered, the points of no return, every preflight and discovery problem, every step that
/// failed or would fail, and the window projection along the critical path.
///
/// `build` is a pure function of the plan, the discovery inventory and what the run recorded, so
/// the same inputs always give the same report. This type is also the `--output json` document
/// (docs/REHEARSAL.md, "JSON shape"): its keys are stable; add, never rename.
public struct RehearsalReport: Sendable, Codable, Equatable {
    public struct Runbook: Sendable, Codable, Equatable {
        public var name: String
        public var file: String
        /// The plan hash of the real run (the rehearsal's own plan differs only in who may approve).
        public var planHash: String
        public var region: String
    }

    public struct Run: Sendable, Codable, Equatable {
        public var runId: String?
        /// `completed` when the twin ran the runbook to its end.
        public var status: String
        public var reason: String
        public var speed: Double
        public var simulatedSeconds: Double?
        public var realSeconds: Double
        /// True when the run on the twin completed without a failed step.
        public var succeeded: Bool
    }

    public struct Projection: Sendable, Codable, Equatable {
        public var seconds: Double
        /// Where the figure comes from: `measured-copy-rate`, `rds-rate-assumption`,
        /// `configured-wait`, `runbook-estimate`, `twin-duration` (simulated time of a step that
        /// retried or polled), `twin-real-time` (real time of a step that only made calls).
        public var basis: String
        /// The figure's reasoning, e.g. "10,000 objects at 890 objects/s".
        public var detail: String

        public init(seconds: Double, basis: String, detail: String) {
            self.seconds = seconds
            self.basis = basis
            self.detail = detail
        }
    }

    public struct Step: Sendable, Codable, Equatable {
        public var id: String
        public var type: String
        public var title: String
        public var account: String?
        /// The engine's status at the end (`succeeded`, `failed`, `pending` …), or `not-reached`.
        public var outcome: String
        public var attempts: Int
        public var simulatedSeconds: Double?
        public var projection: Projection
        public var pointOfNoReturn: Bool
        public var onCriticalPath: Bool
        public var inWindow: Bool
        public var error: String?
    }

    public struct Approval: Sendable, Codable, Equatable {
        public var step: String
        public var message: String?
        /// What the real run needs instead of the rehearsal's answer.
        public var realPolicy: String
        public var pointOfNoReturn: Bool
        public var answeredAt: Date
    }

    public struct PointOfNoReturn: Sendable, Codable, Equatable {
        public var step: String
        /// `irreversible` or `compensated`.
        public var reversibility: String
        public var title: String
        public var reached: Bool
    }

    public struct Failure: Sendable, Codable, Equatable {
        public var step: String?
        public var error: String

        public init(step: String?, error: String) {
            self.step = step
            self.error = error
        }
    }

    public struct Window: Sendable, Codable, Equatable {
        /// Projected real seconds along the critical path, all steps and only in-window steps.
        public var totalSeconds: Double
        public var inWindowSeconds: Double
        /// The step IDs of the critical path, first to last.
        public var criticalPath: [String]
        /// The window's length when the runbook has one, whether the in-window work fits, and by
        /// how much (negative: the overrun).
        public var windowSeconds: Double?
        public var fits: Bool?
        public var spareSeconds: Double?
    }

    public var runbook: Runbook
    public var run: Run
    public var steps: [Step]
    public var approvals: [Approval]
    public var pointsOfNoReturn: [PointOfNoReturn]
    public var preflight: [RehearsalRecord.Finding]
    /// What discovery could not read (the twin lacks it).
    public var discoveryProblems: [String]
    /// Every step that failed on the twin (or stopped for a decision) and every other reason the
    /// real run would not go through as planned.
    public var failures: [Failure]
    public var window: Window
    /// How each projection is made; each an estimate with its source.
    public var basis: [String]
    /// Where the twin is not the real accounts.
    public var fidelityGaps: [String]

    public static let fidelityGaps = [
        "objects are generated with the same keys' prefixes, counts, sizes and storage classes, not the real data; tags and ACL grants follow a sample of the first objects (up to 1,000 per bucket), not every object; a bucket profiled from its S3 Inventory report is as the report was (up to a day or a week old)",
        "RDS durations in the twin are the simulator's fixed per-state timings; real ones depend on size (projected above)",
        "subnet and security groups sit in the VPCs discovery found them in (made-up subnets); parameter and option group contents are not copied",
        "real S3 and RDS latency, throttling and request-rate limits are not reproduced unless configured in the simulator",
        "people: approvals are answered at once by the rehearsal; the projection adds the runbook's estimate for each",
    ]

    /// The report of `record` for `plan` (the real plan) and the discovery `inventory`.
    public static func build(
        plan: RunbookPlan, inventory: TwinInventory, record: RehearsalRecord,
        rates: ProjectionRates = ProjectionRates()
    ) -> RehearsalReport {
        let recorded = Dictionary(record.steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let sizes = SizeLookup(plan: plan, inventory: inventory)
        var projections: [String: Projection] = [:]
        var simulated: [String: Double] = [:]
        for step in plan.steps {
            let seen = recorded[step.id]
            if let first = seen?.firstEvent, let last = seen?.lastEvent { simulated[step.id] = max(0, last.timeIntervalSince(first)) }
            projections[step.id] = project(
                step, simulated: simulated[step.id], attempts: seen?.attempts ?? 0, speed: record.speed, sizes: sizes,
                rates: rates)
        }
        let all = criticalPath(plan) { projections[$0.id]?.seconds ?? 0 }
        let inside = criticalPath(plan) { $0.window == .inside ? projections[$0.id]?.seconds ?? 0 : 0 }
        let onPath = Set(all.path)

        let steps = plan.steps.map { step -> Step in
            let seen = recorded[step.id]
            let outcome = seen.map { $0.status == "pending" && record.runStatus != "running" ? "not-reached" : $0.status } ?? "not-reached"
            return Step(
                id: step.id, type: step.type, title: step.title, account: step.account, outcome: outcome, attempts: seen?.attempts ?? 0,
                simulatedSeconds: simulated[step.id], projection: projections[step.id]!,
                pointOfNoReturn: step.reversibility.isPointOfNoReturn, onCriticalPath: onPath.contains(step.id),
                inWindow: step.window == .inside, error: seen?.error)
        }

        var failures: [Failure] = []
        for step in steps where ["failed", "awaiting-decision", "undo-failed", "failed-continued"].contains(step.outcome) {
            failures.append(Failure(step: step.id, error: step.error ?? "\(step.outcome) without an error text"))
        }
        if let decision = record.pendingDecision, !failures.contains(where: { decision.hasPrefix($0.step ?? "\u{0}") }) {
            failures.append(Failure(step: nil, error: "stopped for a decision: \(decision)"))
        }
        for finding in record.preflight where finding.outcome == "failed" {
            failures.append(
                Failure(step: nil, error: "preflight \(finding.check)\(finding.account.map { " in \($0)" } ?? ""): \(finding.detail)"))
        }
        let completed = record.runStatus == "completed"
        if !completed && failures.isEmpty {
            failures.append(Failure(step: nil, error: "the run on the twin ended \(record.runStatus): \(record.runReason)"))
        }

        var window = Window(totalSeconds: all.seconds, inWindowSeconds: inside.seconds, criticalPath: all.path)
        if let spec = plan.window {
            let length = spec.end.timeIntervalSince(spec.start)
            window.windowSeconds = length
            window.fits = inside.seconds <= length
            window.spareSeconds = length - inside.seconds
        }
        // Work done in real time (copies, verification) counts ×speed on the twin's clock, so a
        // big bucket at a high --speed can close the twin's window although the real run fits.
        if !completed, record.runReason.contains("window"), window.fits == true, record.speed > 1 {
            failures.append(
                Failure(
                    step: nil,
                    error: "the twin's window closed, but the real-time projection fits the window: on the twin, work done in real time "
                        + "(copies, checks) counts ×\(ProjectionRates.number(record.speed)) in simulated time; rehearse again with a lower --speed"
                ))
        }
        let simulatedRun = record.startedAt.flatMap { start in record.endedAt.map { $0.timeIntervalSince(start) } }
        return RehearsalReport(
            runbook: Runbook(name: plan.runbookName, file: plan.runbookFile, planHash: plan.hash, region: plan.region),
            run: Run(
                runId: record.runId, status: record.runStatus, reason: record.runReason, speed: record.speed,
                simulatedSeconds: simulatedRun, realSeconds: record.realSeconds,
                succeeded: completed && !steps.contains { $0.outcome == "failed" }),
            steps: steps,
            approvals: record.approvals.map {
                Approval(
                    step: $0.step, message: $0.message, realPolicy: $0.realPolicy, pointOfNoReturn: $0.pointOfNoReturn,
                    answeredAt: $0.answeredAt)
            },
            pointsOfNoReturn: plan.steps.filter(\.reversibility.isPointOfNoReturn).map { step in
                PointOfNoReturn(
                    step: step.id, reversibility: step.reversibility.rawValue, title: step.title,
                    reached: recorded[step.id]?.status == "succeeded")
            },
            preflight: record.preflight, discoveryProblems: inventory.problems, failures: failures, window: window,
            basis: rates.basis, fidelityGaps: fidelityGaps + switchoverGaps(inventory))
    }

    /// The projected real duration of one primitive.
    static func project(
        _ step: PlannedStep, simulated: Double?, attempts: Int, speed: Double, sizes: SizeLookup, rates: ProjectionRates
    )
        -> Projection
    {
        let inputs = step.inputs
        func rds(_ fixed: Double, _ perGiB: Double, _ what: String) -> Projection? {
            guard let instance = inputs["instance"]?.stringValue, let from = inputs["from"]?.stringValue,
                let gib = sizes.allocatedStorage(account: from, instance: instance)
            else { return nil }
            let minutes = fixed + perGiB * Double(gib)
            return Projection(
                seconds: minutes * 60, basis: "rds-rate-assumption",
                detail: "\(what) of \(instance), \(gib) GiB allocated: \(ProjectionRates.number(fixed)) min + "
                    + "\(ProjectionRates.number(perGiB)) min/GiB (assumed)")
        }
        switch step.type {
        case "s3.copy":
            if let from = inputs["from"], let account = from["account"]?.stringValue, let bucket = from["bucket"]?.stringValue,
                let objects = sizes.objects(account: account, bucket: bucket)
            {
                return Projection(
                    seconds: Double(objects) / rates.objectsPerSecond, basis: "measured-copy-rate",
                    detail: "\(objects) objects at \(ProjectionRates.number(rates.objectsPerSecond)) objects/s (measured)")
            }
        case "rds.wait-snapshot":
            if let projection = rds(rates.snapshotFixedMinutes, rates.snapshotMinutesPerGiB, "snapshot") { return projection }
        case "rds.wait-snapshot-copy":
            if let projection = rds(rates.snapshotCopyFixedMinutes, rates.snapshotCopyMinutesPerGiB, "snapshot copy") { return projection }
        case "rds.wait-instance":
            if let projection = rds(rates.restoreFixedMinutes, rates.restoreMinutesPerGiB, "restore") { return projection }
        case "wait":
            if let seconds = inputs["for"]?.numberValue {
                return Projection(
                    seconds: seconds, basis: "configured-wait",
                    detail: "the runbook waits \(RehearsalText.duration(seconds)); AWS may hold a name longer")
            }
        case "approval":
            return Projection(
                seconds: step.estimatedDuration.timeInterval, basis: "runbook-estimate",
                detail: "people: the runbook's estimate")
        default:
            break
        }
        if let simulated {
            // A step that retried or polled waited in simulated time: that time is the projection.
            // One that only made calls took real time against the local twin (time × speed in
            // simulated terms): the real seconds it took, a lower bound without AWS's latency.
            if attempts > 1 {
                return Projection(seconds: simulated, basis: "twin-duration", detail: "as long as on the twin (it retried or polled)")
            }
            return Projection(
                seconds: simulated / max(1, speed), basis: "twin-real-time",
                detail: "the real time its calls took on the local twin; AWS's latency adds to it")
        }
        return Projection(
            seconds: step.estimatedDuration.timeInterval, basis: "runbook-estimate",
            detail: "not run on the twin: the runbook's estimate")
    }

    /// The longest path through the plan's dependencies with `weight` per step.
    static func criticalPath(_ plan: RunbookPlan, weight: (PlannedStep) -> Double) -> (seconds: Double, path: [String]) {
        var finish: [String: Double] = [:]
        var previous: [String: String] = [:]
        for step in plan.steps {
            let before = step.dependsOn.compactMap { id in finish[id].map { (id, $0) } }.max { $0.1 < $1.1 }
            finish[step.id] = (before?.1 ?? 0) + weight(step)
            if let before { previous[step.id] = before.0 }
        }
        guard let end = plan.steps.map(\.id).max(by: { finish[$0]! < finish[$1]! }) else { return (0, []) }
        var path = [end]
        while let before = previous[path[0]] { path.insert(before, at: 0) }
        return (finish[end]!, path)
    }
}

/// Object counts and allocated storage from discovery; a bucket the run creates (a staging
/// bucket) holds what the plan's earlier copy put into it.
struct SizeLookup {
    let plan: RunbookPlan
    let inventory: TwinInventory

    func objects(account: String, bucket: String, depth: Int = 0) -> Int? {
        if let found = inventory.buckets.first(where: { $0.name == bucket && $0.exists }), let profile = found.profile {
            return profile.objects
        }
        guard depth < 8 else { return nil }
        for step in plan.steps where step.type == "s3.copy" {
            guard let to = step.inputs["to"], to["bucket"]?.stringValue == bucket,
                let from = step.inputs["from"], let source = from["bucket"]?.stringValue, source != bucket,
                let sourceAccount = from["account"]?.stringValue
            else { continue }
            return objects(account: sourceAccount, bucket: source, depth: depth + 1)
        }
        return nil
    }

    func allocatedStorage(account: String, instance: String) -> Int? {
        inventory.dbInstances.first { $0.identifier == instance && $0.account == account && $0.exists }?.allocatedStorage
    }
}
