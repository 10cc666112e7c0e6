import Foundation
import Journal
import Runbook

/// The runs a daemon holds: starts new ones (journaling the plan first) and rebuilds every
/// unfinished one from the journal after a restart. Each run has its own `RunExecutor`.
public actor Engine {
    public let journal: Journal
    public let registry: StepRegistry
    public let clock: any EngineClock
    private var executors: [String: RunExecutor] = [:]

    public init(journal: Journal, registry: StepRegistry, clock: any EngineClock) {
        self.journal = journal
        self.registry = registry
        self.clock = clock
    }

    /// Journals a new run of `plan` and returns its executor. Refuses a plan with a primitive type
    /// this daemon cannot execute, before anything is journaled.
    public func start(plan: RunbookPlan, runbookSource: String, parameters: [String: String],
                      initiator: OperatorIdentity, runId: String? = nil) throws(EngineError) -> RunExecutor {
        let missing = registry.missingTypes(in: plan.steps.map(\.type))
        guard missing.isEmpty else {
            throw EngineError(.unknownStepType,
                              "this cutoverd cannot execute step types \(missing.joined(separator: ", ")); nothing was started")
        }
        let now = clock.now()
        let id = runId ?? Self.newRunId(at: now)
        var seedSource = SystemRandomNumberGenerator()
        let created = RunCreated(runId: id, plan: plan, planHash: plan.hash, runbookSource: runbookSource,
                                 parameters: parameters, initiator: initiator, seed: seedSource.next())
        do {
            if try journal.head(stream: id) != nil {
                throw EngineError(.invalidTransition, "run \(id) already exists")
            }
            let event = RunEvent.runCreated(created)
            try journal.append(JournalEntry(stream: id, kind: event.kind, payload: try event.payload(), wallTime: now))
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(.journalUnavailable, "cannot record the new run: \(error); nothing was started")
        }
        let executor = try RunExecutor(runId: id, journal: journal, registry: registry, clock: clock)
        executors[id] = executor
        return executor
    }

    /// Rebuilds every run whose status is not terminal; returns their executors (the daemon
    /// drives each with `run()`).
    public func resumeAll() async throws(EngineError) -> [RunExecutor] {
        let streams: [String]
        do {
            streams = try journal.streams()
        } catch {
            throw EngineError(.journalUnavailable, "cannot list runs: \(error)")
        }
        var resumed: [RunExecutor] = []
        for stream in streams where stream != "daemon" {
            if let existing = executors[stream] {
                resumed.append(existing)
                continue
            }
            guard let executor = try? RunExecutor(runId: stream, journal: journal, registry: registry, clock: clock)
            else { continue }
            executors[stream] = executor
            resumed.append(executor)
        }
        var active: [RunExecutor] = []
        for executor in resumed where await !executor.state.status.isTerminal { active.append(executor) }
        return active
    }

    public func executor(for runId: String) throws(EngineError) -> RunExecutor {
        if let executor = executors[runId] { return executor }
        let executor = try RunExecutor(runId: runId, journal: journal, registry: registry, clock: clock)
        executors[runId] = executor
        return executor
    }

    /// Every run in the journal, newest last.
    public func runIds() throws(EngineError) -> [String] {
        do {
            return try journal.streams().filter { $0 != "daemon" }
        } catch {
            throw EngineError(.journalUnavailable, "cannot list runs: \(error)")
        }
    }

    /// `r-20261201-010000-1a2b`: sortable, readable, unique enough for one daemon.
    static func newRunId(at date: Date) -> String {
        let stamp = EventTime.format(date).prefix(19).replacingOccurrences(of: "-", with: "")
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "T", with: "-")
        return "r-\(stamp)-\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
    }
}
