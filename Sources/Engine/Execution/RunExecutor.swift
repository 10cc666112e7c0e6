import Foundation
import Journal
import Logging
import Metrics
import Runbook

/// Drives one run: asks `RunScheduler` what happens next, journals it before it takes effect,
/// launches step attempts concurrently, journals their outcomes, and sleeps until the next due
/// time or until an operator changes something. Everything it knows is in the journal; a new
/// executor on the same journal continues where a crashed one stopped.
public actor RunExecutor {
    public nonisolated let runId: String
    let journal: Journal
    let registry: StepRegistry
    let clock: any EngineClock
    /// Every journaled event and status change at debug level (label `cutover.engine`, `run=`).
    let logger: Logger
    /// The run as folded from the journal, including every event this executor committed.
    public private(set) var state: RunState
    var inFlight: Set<String> = []
    var progress: [String: String] = [:]
    /// Primitives the alarm guard cleared to start, and the event count when it did: valid only
    /// for the decision right after the read (anything journaled since means reading again).
    var guardCleared: (steps: Set<String>, eventCount: Int)?
    /// Set when the journal refused a write: the executor stops as a crashed process would.
    private(set) var halted: JournalError?
    private var settling = false

    /// The journal refused a write and this executor stopped; a restarted one takes over.
    public var isHalted: Bool { halted != nil }
    let signal = WakeSignal()

    /// Rebuilds the run from its journal stream.
    public init(runId: String, journal: Journal, registry: StepRegistry, clock: any EngineClock) throws(EngineError) {
        self.init(runId: runId, state: try RunState.read(runId, from: journal), journal: journal, registry: registry, clock: clock)
    }

    /// An executor for a run already folded from `journal` (the engine reads each stream once).
    init(runId: String, state: RunState, journal: Journal, registry: StepRegistry, clock: any EngineClock) {
        self.runId = runId
        self.journal = journal
        self.registry = registry
        self.clock = clock
        self.state = state
        var logger = Logger(label: "cutover.engine")
        logger[metadataKey: "run"] = "\(runId)"
        self.logger = logger
    }

    /// What `settle` ended with.
    public enum SettleOutcome: Sendable, Equatable {
        /// Nothing in flight and nothing to do before `nextWake` (nil: until an operator acts,
        /// or never when `status` is terminal).
        case idle(nextWake: Date?, status: RunStatus)
        /// The journal refused a write; this executor must be abandoned (as after a crash).
        case halted(JournalError.Code)
        /// The task was cancelled (shutdown); attempts in flight were left open for `check`.
        case stopped
        /// Another `settle` is running on this executor.
        case busy
    }

    /// Runs everything that can run now and returns once nothing is in flight. Tests pair it with
    /// `ManualClock.advance(to:)`; the daemon calls `run()`.
    public func settle() async -> SettleOutcome {
        guard !settling else { return .busy }
        settling = true
        defer { settling = false }
        return await withTaskGroup(of: Wake.self) { group in
            var armedTimer: Date?
            var signalArmed = false
            while true {
                if let halted {
                    group.cancelAll()
                    while await group.next() != nil {}
                    inFlight.removeAll()
                    return .halted(halted.code)
                }
                let decision =
                    Task.isCancelled
                    ? .launch([], wake: nil) : RunScheduler.decide(state, now: clock.now(), inFlight: inFlight)
                switch decision {
                case let .journal(event):
                    append(event)
                    continue
                case let .launch(launches, wake):
                    guard await passGuard(launches) else { continue }
                    for launch in launches {
                        guard let job = begin(launch) else { break }
                        inFlight.insert(launch.step)
                        group.addTask { .finished(await job.perform()) }
                    }
                    if halted != nil { continue }
                    if inFlight.isEmpty {
                        group.cancelAll()
                        return Task.isCancelled ? .stopped : .idle(nextWake: wake, status: state.status)
                    }
                    if let wake, wake != armedTimer {
                        armedTimer = wake
                        let clock = self.clock
                        group.addTask {
                            do {
                                try await clock.sleep(until: wake)
                                return .timer
                            } catch {
                                return .cancelled
                            }
                        }
                    }
                    if !signalArmed {
                        signalArmed = true
                        let signal = self.signal
                        group.addTask {
                            await signal.wait()
                            return .signal
                        }
                    }
                    guard let next = await group.next() else { continue }
                    switch next {
                    case let .finished(outcome):
                        inFlight.remove(outcome.launch.step)
                        finish(outcome)
                    case .timer:
                        armedTimer = nil
                    case .signal:
                        signalArmed = false
                    case .cancelled:
                        break
                    }
                }
            }
        }
    }

    /// The daemon's loop for this run: settle, sleep until the next due time or an operator
    /// action, repeat — until the run ends, the journal fails, or the task is cancelled.
    public func run() async -> SettleOutcome {
        while true {
            let outcome = await settle()
            guard case let .idle(wake, status) = outcome, !status.isTerminal, !Task.isCancelled else { return outcome }
            await signal.wait(until: wake, on: clock)
        }
    }

    /// Wakes the loop: something outside it changed the run.
    nonisolated func wake() { signal.fire() }

    // MARK: Journal

    /// Commits an event and applies it. On a journal failure the executor halts.
    @discardableResult
    func append(_ event: RunEvent) -> Bool {
        guard halted == nil else { return false }
        do {
            let payload = try event.payload()
            let record = try journal.append(
                JournalEntry(
                    stream: runId, kind: event.kind, payload: payload,
                    wallTime: clock.now()))
            let before = state.status
            state.apply(event, at: record.wallTime)
            logger.debug("run event journaled", metadata: ["kind": "\(event.kind)", "seq": "\(record.sequence)"])
            if state.status != before {
                logger.debug(
                    "run status changed",
                    metadata: [
                        "from": "\(before.rawValue)", "to": "\(state.status.rawValue)", "reason": "\(state.statusReason)",
                    ])
            }
            return true
        } catch let error as JournalError {
            logger.debug("run halted: the journal refused a write", metadata: ["kind": "\(event.kind)", "code": "\(error.code)"])
            halted = error
        } catch {
            halted = JournalError(code: .appendRejected, message: "cannot encode \(event.kind): \(error)", path: "")
        }
        return false
    }

    // MARK: Attempts

    private enum Wake: Sendable {
        case finished(AttemptOutcome)
        case timer
        case signal
        case cancelled
    }

    /// Journals the intent (invariant 1) and prepares the attempt; nil when the journal failed.
    private func begin(_ launch: RunScheduler.Launch) -> AttemptJob? {
        guard let planned = state.plan.step(launch.step) else { return nil }
        if launch.kind != .reconcile {
            let started = AttemptStarted(
                step: launch.step, attempt: launch.attempt,
                phase: launch.kind == .undo ? .undo : .forward, decision: launch.decision)
            guard append(.attemptStarted(started)) else { return nil }
        }
        let outputs = state.steps.compactMapValues { $0.succeeded ? $0.outputs : nil }
        // `${steps.ID.outputs.NAME}` in the inputs, from the journaled outputs (after a crash too).
        let (resolved, missing) = planned.resolvingOutputs(outputs)
        let context = StepContext(
            runId: runId, step: resolved, attempt: launch.attempt, phase: launch.kind == .undo ? .undo : .forward,
            clock: clock, plan: state.plan, outputs: outputs, decision: launch.decision, sink: self,
            budgetFirstAttempt: state.steps[launch.step]?.budgetFirstAttempt ?? 1,
            undoStartedAt: launch.kind == .undo ? state.steps[launch.step]?.undoStartedAt : nil)
        return AttemptJob(launch: launch, step: registry.step(for: planned.type), context: context, missingOutputs: missing)
    }

    /// Journals what an attempt found.
    private func finish(_ outcome: AttemptOutcome) {
        let launch = outcome.launch
        guard let planned = state.plan.step(launch.step), let step = state.steps[launch.step] else { return }
        let now = clock.now()
        switch outcome.result {
        case let .ran(.done(outputs)):
            append(
                .attemptSucceeded(
                    AttemptSucceeded(
                        step: launch.step, attempt: launch.attempt, phase: .forward,
                        outputs: outputs)))
        case let .ran(.notYet(text, after)):
            let interval = after?.timeInterval ?? Self.pollInterval(planned)
            append(
                .pollPending(
                    PollPending(
                        step: launch.step, attempt: launch.attempt, progress: text,
                        nextPollAt: now.addingTimeInterval(interval))))
        case .undone:
            append(
                .attemptSucceeded(
                    AttemptSucceeded(
                        step: launch.step, attempt: launch.attempt, phase: .undo,
                        outputs: [:])))
        case let .compensating(text, after):
            let interval = after?.timeInterval ?? Self.pollInterval(planned)
            append(
                .pollPending(
                    PollPending(
                        step: launch.step, attempt: launch.attempt, progress: text,
                        nextPollAt: now.addingTimeInterval(interval), phase: .undo)))
        case .interrupted:
            break  // shutdown: the attempt stays open and is reconciled with `check` on the next start
        case let .failed(error):
            let undo = launch.kind == .undo
            let policy =
                undo
                ? (planned.undoRetry ?? planned.retry)
                : (step.lastDecision.flatMap { planned.decisionRetries[$0] } ?? planned.retry)
            let first = undo ? step.undoBudgetFirstAttempt : step.budgetFirstAttempt
            let verdict = RetryPlanner.verdict(
                policy: policy, error: error, attemptInBudget: launch.attempt - first + 1,
                budgetStartedAt: (undo ? step.undoBudgetStartedAt : step.budgetStartedAt) ?? now, now: now,
                jitterSeed: state.seed ^ launch.step.stableHash)
            var nextAt: Date?
            var exhausted: String?
            switch verdict {
            case let .retry(at): nextAt = at
            case let .exhausted(reason): exhausted = reason
            }
            append(
                .attemptFailed(
                    AttemptFailed(
                        step: launch.step, attempt: launch.attempt, phase: undo ? .undo : .forward,
                        error: error, nextAttemptAt: nextAt, exhausted: exhausted)))
        case let .checked(finding):
            switch finding {
            case let .done(outputs):
                append(
                    .attemptReconciled(
                        AttemptReconciled(
                            step: launch.step, attempt: launch.attempt, phase: .forward,
                            finding: .done, outputs: outputs, detail: nil)))
            case .notDone:
                append(
                    .attemptReconciled(
                        AttemptReconciled(
                            step: launch.step, attempt: launch.attempt, phase: .forward,
                            finding: .notDone, outputs: [:], detail: nil)))
            case let .unknown(reason):
                guard
                    append(
                        .attemptReconciled(
                            AttemptReconciled(
                                step: launch.step, attempt: launch.attempt, phase: .forward, finding: .unknown, outputs: [:],
                                detail: reason)))
                else { return }
                append(
                    .decisionRequested(
                        DecisionRequested(
                            step: launch.step, options: [.retry, .markDone, .rollback],
                            reason: "cannot tell whether attempt \(launch.attempt) of \(launch.step) took effect: \(reason). "
                                + "Look in the account, then choose retry (run it again), mark-done (it happened) or rollback")))
            }
        }
    }

    /// How long to wait between polls when the step does not say.
    static func pollInterval(_ step: PlannedStep) -> TimeInterval {
        if case let .fixed(interval) = step.retry.backoff, interval > .zero { return interval.timeInterval }
        return 30
    }
}

extension RunExecutor: StepEventSink {
    func record(_ call: AWSCallRecord, step: String, attempt: Int) async throws {
        guard append(.awsCall(AWSCallJournaled(step: step, attempt: attempt, call: call))) else {
            throw halted ?? JournalError(code: .appendRejected, message: "journal unavailable", path: "")
        }
    }

    func progress(_ text: String, step: String) async { progress[step] = text }
}

/// What one attempt produced, carried back to the executor to be journaled.
struct AttemptOutcome: Sendable {
    enum Result: Sendable {
        case ran(StepResult)
        case undone
        /// A compensation that is not finished: call it again after `after`.
        case compensating(String, after: Duration?)
        case checked(CheckResult)
        case failed(StepError)
        /// Cancelled by shutdown: leave the attempt open.
        case interrupted
    }

    var launch: RunScheduler.Launch
    var result: Result
}

extension AttemptOutcome.Result {
    /// The `outcome` label of `cutover_step_duration_seconds`.
    var metricOutcome: String {
        switch self {
        case .ran(.done), .undone: "done"
        case .ran(.notYet), .compensating: "pending"
        case .checked: "checked"
        case .failed: "failed"
        case .interrupted: "interrupted"
        }
    }
}

/// One attempt, ready to run off the executor so that parallel branches overlap.
struct AttemptJob: Sendable {
    var launch: RunScheduler.Launch
    var step: (any Step)?
    var context: StepContext
    /// Output references with no journaled value: the attempt fails rather than run with the
    /// reference's text as an input.
    var missingOutputs: [OutputReference] = []

    /// Runs the attempt and reports its duration (`cutover_step_duration_seconds`) through swift-metrics.
    func perform() async -> AttemptOutcome {
        let started = ContinuousClock.now
        let outcome = await attempt()
        Timer(
            label: "cutover_step_duration_seconds",
            dimensions: [
                ("step_type", context.step.type), ("phase", "\(launch.kind)"), ("outcome", outcome.result.metricOutcome),
            ]
        ).record(duration: ContinuousClock.now - started)
        return outcome
    }

    private func attempt() async -> AttemptOutcome {
        if !missingOutputs.isEmpty {
            let names = missingOutputs.map { "\($0.text) (output `\($0.key ?? $0.output)` of \($0.primitive))" }.joined(separator: ", ")
            let error = StepError(
                code: "OutputMissing",
                message: "\(context.step.id) reads \(names), which the journal does not hold; "
                    + "the producing step finished without it: retry it or fix its step type",
                retryable: false)
            return AttemptOutcome(
                launch: launch, result: launch.kind == .reconcile ? .checked(.unknown(reason: error.message)) : .failed(error))
        }
        guard let step else {
            let error = StepError(
                code: "UnknownStepType",
                message: "no executor for step type \(context.step.type) in this cutoverd",
                retryable: false)
            return AttemptOutcome(
                launch: launch, result: launch.kind == .reconcile ? .checked(.unknown(reason: error.message)) : .failed(error))
        }
        do {
            switch launch.kind {
            case .run: return AttemptOutcome(launch: launch, result: .ran(try await step.run(context)))
            case .undo:
                switch try await step.compensate(context) {
                case .done: return AttemptOutcome(launch: launch, result: .undone)
                case let .notYet(progress, after): return AttemptOutcome(launch: launch, result: .compensating(progress, after: after))
                }
            case .reconcile: return AttemptOutcome(launch: launch, result: .checked(try await step.check(context)))
            }
        } catch is CancellationError where Task.isCancelled {
            return AttemptOutcome(launch: launch, result: .interrupted)
        } catch {
            if launch.kind == .reconcile {
                return AttemptOutcome(launch: launch, result: .checked(.unknown(reason: StepError(error).description)))
            }
            return AttemptOutcome(launch: launch, result: .failed(StepError(error)))
        }
    }
}

extension RunExecutor {
    /// The alarm guard (`guard:` in the runbook, DESIGN "Maintenance window and rollback"): before
    /// a primitive starts its first attempt, and before every attempt of a point of no return,
    /// the alarms are read and the reading journaled (`guard.checked`). An alarm in ALARM that no
    /// operator resumed past, a missing alarm, or a failure to read pauses the run with a reason
    /// that names the alarms, their state reasons and the account. Returns true when `launches`
    /// may start now; false when the guard journaled something and the loop must decide again.
    func passGuard(_ launches: [RunScheduler.Launch]) async -> Bool {
        guard let spec = state.plan.runGuard, state.status == .running else { return true }
        let gated = launches.filter { launch in
            guard launch.kind == .run, let planned = state.plan.step(launch.step) else { return false }
            return planned.reversibility.isPointOfNoReturn || (state.steps[launch.step]?.attempts ?? 0) == 0
        }
        guard !gated.isEmpty else { return true }
        let ids = Set(gated.map(\.step))
        if let cleared = guardCleared, cleared.eventCount == state.eventCount, ids.isSubset(of: cleared.steps) {
            guardCleared = nil
            return true
        }
        let reading =
            await registry.runGuard?.read(spec)
            ?? GuardReading(account: spec.account, alarms: [], problem: "this cutoverd has no reader for the alarm guard")
        let acknowledged = reading.firing.map(\.episode).filter { state.guardAcknowledged.contains($0) }
        let unacknowledged = reading.firing.filter { !state.guardAcknowledged.contains($0.episode) }
        let verdict: GuardChecked.Verdict = reading.problem != nil ? .unreadable : (unacknowledged.isEmpty ? .clear : .alarm)
        let pointOfNoReturn = gated.contains { state.plan.step($0.step)?.reversibility.isPointOfNoReturn == true }
        let checked = GuardChecked(
            before: ids.sorted(), pointOfNoReturn: pointOfNoReturn, reading: reading, verdict: verdict, acknowledged: acknowledged)
        guard append(.guardChecked(checked)) else { return false }
        if verdict == .clear {
            guardCleared = (ids, state.eventCount)
        } else if state.status == .running {
            // An operator may have paused or rolled back while the alarms were read.
            append(.runStatusChanged(RunStatusChanged(status: .paused, reason: checked.pauseReason, by: .engine)))
        }
        return false
    }
}
