import ControlProtocol
import Engine
import Foundation
import Journal
import Runbook
import Steps

/// Every run this daemon holds, each driven by its own task: started from the control API,
/// resumed from the journal after a restart, stopped (attempts in flight left for `check`) on
/// shutdown. Each run's step executors act through sessions built for that run's accounts.
public actor DaemonRuns {
    /// Builds the AWS sessions for one run from its plan (accounts, region) and run ID.
    public typealias SessionFactory = @Sendable (RunbookPlan, String) -> any AccountSessions

    let journal: Journal
    let clock: any EngineClock
    let catalog: StepCatalog
    let sessions: SessionFactory
    let log: DaemonLog
    private var executors: [String: RunExecutor] = [:]
    private var drivers: [String: Task<Void, Never>] = [:]
    /// Runs whose executor stopped because the journal refused a write.
    private(set) var halted: [String: String] = [:]
    private var stopping = false

    public init(journal: Journal, clock: any EngineClock, catalog: StepCatalog = StepLibrary.catalog,
                sessions: @escaping SessionFactory, log: DaemonLog) {
        self.journal = journal
        self.clock = clock
        self.catalog = catalog
        self.sessions = sessions
        self.log = log
    }

    // MARK: Starting and resuming

    /// Rebuilds every run in the journal and drives the unfinished ones. Returns how many resumed.
    @discardableResult
    public func resumeAll() async throws(ControlFailure) -> Int {
        let streams: [String]
        do {
            streams = try journal.streams().filter { $0 != DaemonStream.name }
        } catch {
            throw ControlFailure(503, EngineError.Code.journalUnavailable.rawValue, "cannot list runs: \(error)")
        }
        var resumed = 0
        for stream in streams where executors[stream] == nil {
            let executor: RunExecutor
            do {
                executor = try await makeExecutor(stream)
            } catch {
                log.error("run cannot be rebuilt from the journal; left alone", ["run": stream, "error": "\(error)"])
                continue
            }
            executors[stream] = executor
            if await !executor.state.status.isTerminal {
                drive(executor)
                resumed += 1
                log.notice("run resumed", ["run": stream, "status": await executor.state.status.rawValue])
            }
        }
        return resumed
    }

    /// Loads and plans the runbook text (as the operator's `plan` did), journals the new run and
    /// starts driving it.
    public func start(_ request: StartRunRequest, by identity: OperatorIdentity) async throws(ControlFailure) -> RunExecutor {
        guard !stopping else { throw ControlFailure(503, ControlErrorCode.shuttingDown, "cutoverd is stopping; start the run after it restarts") }
        let plan = try Self.plan(request.runbook, file: request.file, parameters: request.parameters, catalog: catalog)
        if let expected = request.expectPlanHash, expected != plan.hash {
            throw ControlFailure(
                409, ControlErrorCode.planChanged,
                "the plan is \(plan.hash.prefix(12)), not the \(expected.prefix(12)) you reviewed: the runbook or its parameters changed; review `cutoverctl plan` again")
        }
        let runId = Self.newRunId(at: clock.now())
        let engine = Engine(journal: journal, registry: StepLibrary.registry(sessions: sessions(plan, runId)), clock: clock)
        let executor: RunExecutor
        do {
            executor = try await engine.start(plan: plan, runbookSource: request.runbook, parameters: request.parameters,
                                              initiator: identity, runId: runId)
        } catch {
            throw ControlFailure(error)
        }
        executors[runId] = executor
        drive(executor)
        log.notice("run started", ["run": runId, "runbook": plan.runbookName, "plan": String(plan.hash.prefix(12)), "by": identity.description])
        return executor
    }

    static func plan(_ text: String, file: String, parameters: [String: String], catalog: StepCatalog) throws(ControlFailure) -> RunbookPlan {
        do {
            let runbook = try RunbookLoader(catalog: catalog).load(text: text, file: file)
            return try RunbookPlanner(catalog: catalog).plan(runbook, parameters: parameters)
        } catch {
            throw ControlFailure(error, file: file)
        }
    }

    /// `r-20261201-010000-1a2b`.
    static func newRunId(at date: Date) -> String {
        let stamp = date.formatted(Date.ISO8601FormatStyle()).prefix(19).replacingOccurrences(of: "-", with: "")
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "T", with: "-")
        return "r-\(stamp)-\(String(format: "%04x", UInt16.random(in: 0...UInt16.max)))"
    }

    private func makeExecutor(_ runId: String) async throws -> RunExecutor {
        // The plan decides the accounts, so read it first with an empty registry, then rebuild.
        let probe = try RunExecutor(runId: runId, journal: journal, registry: StepRegistry(), clock: clock)
        let plan = await probe.state.plan
        return try RunExecutor(runId: runId, journal: journal, registry: StepLibrary.registry(sessions: sessions(plan, runId)), clock: clock)
    }

    private func drive(_ executor: RunExecutor) {
        let runId = executor.runId
        drivers[runId] = Task { [weak self] in
            let outcome = await executor.run()
            await self?.driverEnded(runId, outcome)
        }
    }

    private func driverEnded(_ runId: String, _ outcome: RunExecutor.SettleOutcome) {
        drivers[runId] = nil
        switch outcome {
        case let .halted(code):
            halted[runId] = code.rawValue
            log.critical(
                "the journal refused a write; run \(runId) stopped where it was and nothing after the last journaled step was done. "
                    + "Free the disk or fix the journal, then restart cutoverd: the run resumes from the journal",
                ["run": runId, "code": code.rawValue])
        case let .idle(_, status):
            log.notice("run ended", ["run": runId, "status": status.rawValue])
        case .stopped, .busy:
            break
        }
    }

    // MARK: Lookups

    public func executor(_ runId: String) throws(ControlFailure) -> RunExecutor {
        if let executor = executors[runId] { return executor }
        throw ControlFailure(404, EngineError.Code.runNotFound.rawValue, "no run \(runId); `cutoverctl runs` lists them")
    }

    /// Every run, oldest first.
    public func all() -> [RunExecutor] {
        executors.values.sorted { $0.runId < $1.runId }
    }

    public func active() async -> [RunExecutor] {
        var active: [RunExecutor] = []
        for executor in all() where await !executor.state.status.isTerminal { active.append(executor) }
        return active
    }

    public var haltedRuns: [String: String] { halted }

    /// Re-drives a run whose driver ended while the run is still open (an operator acted on a run
    /// whose loop had returned, e.g. after a journal halt cleared). No-op when driven.
    public func ensureDriven(_ runId: String) async {
        guard !stopping, drivers[runId] == nil, halted[runId] == nil, let executor = executors[runId] else { return }
        if await !executor.state.status.isTerminal { drive(executor) }
    }

    // MARK: Stopping

    /// Cancels every run's task and waits for them: attempts in flight stay open in the journal
    /// and are reconciled (`check`) by the next start.
    public func stopAll() async {
        stopping = true
        let tasks = Array(drivers.values)
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}
