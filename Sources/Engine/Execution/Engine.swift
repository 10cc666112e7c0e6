import Foundation
import Journal
import Runbook

/// Owns the runs of one journal: starts new ones (journaling the plan first), resumes every
/// unfinished one after a restart, looks runs up, and lets finished ones go. The daemon and the
/// crash harnesses go through the same calls, so a resume is tested the way cutoverd does it.
///
/// Only unfinished runs keep an executor (and the AWS sessions of its step registry) in memory.
/// When a run ends its executor is evicted and a `RunSnapshot` is kept instead; a lookup of a
/// finished run rebuilds a view from the journal, which refuses every action that would change it
/// as the live executor did.
public actor Engine {
    /// Builds the step executors for one run, from its plan (accounts, region) and run ID: the
    /// daemon gives each run AWS sessions of its own.
    public typealias RegistryFactory = @Sendable (RunbookPlan, String) -> StepRegistry

    public let journal: Journal
    public let clock: any EngineClock
    private let registry: RegistryFactory
    /// Unfinished runs (and finished ones not evicted yet).
    private var executors: [String: RunExecutor] = [:]
    /// What is kept of a finished run once its executor is gone.
    private var finished: [String: RunSnapshot] = [:]
    /// Runs `resumeAll` found in the journal and could not rebuild, with why.
    public private(set) var unreadable: [String: EngineError] = [:]
    /// How many times this engine read a run's stream from the journal (tests watch it).
    private(set) var streamReads = 0

    /// The journal stream cutoverd writes its own records to; never a run.
    public static let daemonStream = "daemon"

    public init(journal: Journal, clock: any EngineClock, registry: @escaping RegistryFactory) {
        self.journal = journal
        self.clock = clock
        self.registry = registry
    }

    /// An engine whose runs all use the same step executors (tests, tools without AWS sessions).
    public init(journal: Journal, registry: StepRegistry, clock: any EngineClock) {
        self.init(journal: journal, clock: clock, registry: { _, _ in registry })
    }

    // MARK: Starting and resuming

    /// Journals a new run of `plan` and returns its executor. Refuses a plan with a primitive type
    /// this daemon cannot execute, before anything is journaled. Without `runId` the run gets a
    /// new `RunID`.
    public func start(
        plan: RunbookPlan, runbookSource: String, parameters: [String: String],
        initiator: OperatorIdentity, runId: String? = nil
    ) throws(EngineError) -> RunExecutor {
        let now = clock.now()
        let id: String
        if let runId { id = runId } else { id = try unusedRunId(at: now) }
        let steps = registry(plan, id)
        let missing = steps.missingTypes(in: plan.steps.map(\.type))
        guard missing.isEmpty else {
            throw EngineError(
                .unknownStepType,
                "this cutoverd cannot execute step types \(missing.joined(separator: ", ")); nothing was started")
        }
        var seedSource = SystemRandomNumberGenerator()
        let created = RunCreated(
            runId: id, plan: plan, planHash: plan.hash, runbookSource: runbookSource,
            parameters: parameters, initiator: initiator, seed: seedSource.next())
        let record: JournalRecord
        do {
            if try journal.head(stream: id) != nil {
                throw EngineError(.invalidTransition, "run \(id) already exists")
            }
            let event = RunEvent.runCreated(created)
            record = try journal.append(JournalEntry(stream: id, kind: event.kind, payload: try event.payload(), wallTime: now))
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.journalUnavailable, "cannot record the new run: \(error); nothing was started")
        }
        let state = RunState(created: created, at: record.wallTime)
        let executor = RunExecutor(runId: id, state: state, journal: journal, registry: steps, clock: clock)
        executors[id] = executor
        return executor
    }

    /// Reads every run in the journal once: rebuilds each unfinished one (its executor keeps it)
    /// and keeps a snapshot of each finished one. Returns the unfinished runs' executors, which the
    /// caller drives (`drive`, or `settle` in tests). A run that cannot be rebuilt is left alone
    /// and listed in `unreadable`.
    public func resumeAll() async throws(EngineError) -> [RunExecutor] {
        var active: [RunExecutor] = []
        for stream in try runIds() where finished[stream] == nil {
            if let existing = executors[stream] {
                if await !existing.state.status.isTerminal { active.append(existing) }
                continue
            }
            let state: RunState
            do {
                state = try read(stream)
            } catch {
                unreadable[stream] = error
                continue
            }
            unreadable[stream] = nil
            if state.status.isTerminal {
                finished[stream] = RunSnapshot(runId: stream, state: state)
            } else {
                let executor = RunExecutor(
                    runId: stream, state: state, journal: journal, registry: registry(state.plan, stream),
                    clock: clock)
                executors[stream] = executor
                active.append(executor)
            }
        }
        return active
    }

    /// Drops the executor of `runId` and rebuilds the run from the journal, as a restart would:
    /// after the journal refused a write, the old executor must not be used again.
    public func reload(_ runId: String) throws(EngineError) -> RunExecutor {
        executors[runId] = nil
        return try rebuild(runId)
    }

    // MARK: Driving and evicting

    /// Runs `executor`'s loop (`RunExecutor.run`) and, when the run has ended, evicts it.
    public nonisolated func drive(_ executor: RunExecutor) async -> RunExecutor.SettleOutcome {
        let outcome = await executor.run()
        if case let .idle(_, status) = outcome, status.isTerminal { await evict(executor.runId) }
        return outcome
    }

    /// Lets a finished run's executor go, keeping its snapshot. No-op while the run is unfinished.
    public func evict(_ runId: String) async {
        guard let executor = executors[runId] else { return }
        let snapshot = await executor.snapshot()
        // The executor may have been replaced (reload) or the run reopened meanwhile.
        guard executors[runId] === executor, snapshot.status.isTerminal else { return }
        executors[runId] = nil
        finished[runId] = snapshot
    }

    // MARK: Lookups

    /// The run's executor: the live one while the run is unfinished; for a finished run, a view
    /// rebuilt from the journal that nothing keeps (its actions are refused as they were before).
    public func executor(for runId: String) throws(EngineError) -> RunExecutor {
        if let executor = executors[runId] { return executor }
        return try rebuild(runId)
    }

    /// The executor in memory for `runId`; nil when the run is finished (evicted) or unknown.
    public func held(_ runId: String) -> RunExecutor? { executors[runId] }

    /// The run as `status` shows it, without reading the journal for a finished run this engine
    /// has seen end.
    public func snapshot(of runId: String) async throws(EngineError) -> RunSnapshot {
        if let executor = executors[runId] { return await executor.snapshot() }
        if let snapshot = finished[runId] { return snapshot }
        return await (try rebuild(runId)).snapshot()
    }

    /// Every run this engine started, resumed or saw finished, oldest first.
    public func snapshots() async -> [RunSnapshot] {
        var all = Array(finished.values)
        for executor in executors.values { all.append(await executor.snapshot()) }
        return all.sorted { $0.runId < $1.runId }
    }

    /// The executors of unfinished runs, oldest first.
    public func active() async -> [RunExecutor] {
        var active: [RunExecutor] = []
        for executor in executors.values.sorted(by: { $0.runId < $1.runId }) where await !executor.state.status.isTerminal {
            active.append(executor)
        }
        return active
    }

    /// Every run in the journal, newest last.
    public func runIds() throws(EngineError) -> [String] {
        do {
            return try journal.streams().filter { $0 != Self.daemonStream }
        } catch {
            throw EngineError(.journalUnavailable, "cannot list runs: \(error)")
        }
    }

    // MARK: Pieces

    private func read(_ runId: String) throws(EngineError) -> RunState {
        guard runId != Self.daemonStream else {
            throw EngineError(.runNotFound, "no run \(runId); `cutoverctl runs` lists them")
        }
        streamReads += 1
        return try RunState.read(runId, from: journal)
    }

    /// Reads the run once; an unfinished run gets its step executors and is kept, a finished one
    /// is returned as a view with none (it never launches an attempt again).
    private func rebuild(_ runId: String) throws(EngineError) -> RunExecutor {
        let state = try read(runId)
        guard !state.status.isTerminal else {
            finished[runId] = RunSnapshot(runId: runId, state: state)
            return RunExecutor(runId: runId, state: state, journal: journal, registry: StepRegistry(), clock: clock)
        }
        let executor = RunExecutor(runId: runId, state: state, journal: journal, registry: registry(state.plan, runId), clock: clock)
        executors[runId] = executor
        finished[runId] = nil
        return executor
    }

    /// A new run ID no stream in the journal has yet.
    private func unusedRunId(at date: Date) throws(EngineError) -> String {
        for _ in 0..<8 {
            let id = RunID.make(at: date)
            do {
                if try journal.head(stream: id) == nil { return id }
            } catch {
                throw EngineError(.journalUnavailable, "cannot record the new run: \(error); nothing was started")
            }
        }
        throw EngineError(
            .invalidTransition, "eight run IDs drawn for \(RunID.make(at: date, suffix: 0).dropLast(5)) were all taken; start again")
    }
}
