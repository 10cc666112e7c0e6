import ControlProtocol
import Engine
import Foundation
import Journal
import Runbook
import Steps

/// Drives the engine's runs in cutoverd, each by its own task: started from the control API,
/// resumed from the journal after a restart, stopped (attempts in flight left for `check`) on
/// shutdown, continued after the journal refused a write. The `Engine` owns the runs — starts,
/// resumes, looks up and evicts them; this actor adds what only a daemon has: the tasks, the
/// record of runs halted by the journal, and the stop. Each run's step executors act through
/// sessions built for that run's accounts.
public actor DaemonRuns {
    /// Builds the AWS sessions for one run from its plan (accounts, region) and run ID.
    public typealias SessionFactory = @Sendable (RunbookPlan, String) -> any AccountSessions

    let journal: Journal
    let clock: any EngineClock
    let catalog: StepCatalog
    let log: DaemonLog
    /// A rehearsal daemon (`rehearsal: true`): every plan lifts who may approve
    /// (`RunbookPlan.rehearsingApprovals`), so `cutoverctl rehearse` can answer the gates.
    public nonisolated let rehearsal: Bool
    /// The runs themselves.
    public nonisolated let engine: Engine
    /// Fired whenever a run starts being driven (started, resumed, recovered): what waits for new
    /// runs (window warnings) waits on it instead of polling.
    public nonisolated let runsChanged = WakeSignal()
    private var drivers: [String: Task<Void, Never>] = [:]
    /// Runs whose executor stopped because the journal refused a write.
    private(set) var halted: [String: RunHalt] = [:]
    private var haltObserver: (@Sendable (RunHalt) async -> Void)?
    private var stopping = false

    public init(
        journal: Journal, clock: any EngineClock, catalog: StepCatalog = StepLibrary.catalog,
        sessions: @escaping SessionFactory, log: DaemonLog, rehearsal: Bool = false
    ) {
        self.rehearsal = rehearsal
        self.journal = journal
        self.clock = clock
        self.catalog = catalog
        self.log = log
        engine = Engine(journal: journal, clock: clock) { plan, runId in
            rehearsal
                ? StepLibrary.rehearsalRegistry(sessions: sessions(plan, runId), plan: plan)
                : StepLibrary.registry(sessions: sessions(plan, runId))
        }
    }

    // MARK: Starting and resuming

    /// Resumes every unfinished run in the journal (`Engine.resumeAll`) and drives each. Returns
    /// how many it started driving.
    @discardableResult
    public func resumeAll() async throws(EngineError) -> Int {
        let unfinished = try await engine.resumeAll()
        for (stream, error) in await engine.unreadable.sorted(by: { $0.key < $1.key }) {
            log.error("run cannot be rebuilt from the journal; left alone", ["run": stream, "error": "\(error)"])
        }
        var resumed = 0
        for executor in unfinished where drivers[executor.runId] == nil && halted[executor.runId] == nil {
            drive(executor)
            resumed += 1
            log.notice("run resumed", ["run": executor.runId, "status": await executor.state.status.rawValue])
        }
        return resumed
    }

    /// Loads and plans the runbook text (as the operator's `plan` did), journals the new run and
    /// starts driving it.
    public func start(_ request: StartRunRequest, by identity: OperatorIdentity) async throws(RunManagementError) -> RunExecutor {
        guard !stopping else { throw .shuttingDown("cutoverd is stopping; start the run after it restarts") }
        let plan = try Self.plan(
            request.runbook, file: request.file, parameters: request.parameters, catalog: catalog,
            rehearsal: rehearsal)
        if let expected = request.expectPlanHash, expected != plan.hash {
            throw .planChanged(expected: expected, actual: plan.hash)
        }
        let executor: RunExecutor
        do {
            executor = try await engine.start(
                plan: plan, runbookSource: request.runbook, parameters: request.parameters,
                initiator: identity)
        } catch {
            throw .engine(error)
        }
        drive(executor)
        log.notice(
            "run started",
            [
                "run": executor.runId, "runbook": plan.runbookName, "plan": String(plan.hash.prefix(12)),
                "by": identity.description,
            ])
        return executor
    }

    static func plan(
        _ text: String, file: String, parameters: [String: String], catalog: StepCatalog, rehearsal: Bool = false
    )
        throws(RunManagementError) -> RunbookPlan
    {
        do {
            let runbook = try RunbookLoader(catalog: catalog).load(text: text, file: file)
            let plan = try RunbookPlanner(catalog: catalog).plan(runbook, parameters: parameters)
            return rehearsal ? plan.rehearsingApprovals() : plan
        } catch {
            throw .runbookInvalid(error, file: file)
        }
    }

    private func drive(_ executor: RunExecutor) {
        let runId = executor.runId
        let engine = self.engine
        drivers[runId] = Task { [weak self] in
            let outcome = await engine.drive(executor)
            await self?.driverEnded(runId, outcome)
        }
        runsChanged.fire()
    }

    private func driverEnded(_ runId: String, _ outcome: RunExecutor.SettleOutcome) async {
        drivers[runId] = nil
        switch outcome {
        case let .halted(code):
            await noteHalt(runId, code: code)
        case let .idle(_, status):
            log.notice("run ended", ["run": runId, "status": status.rawValue])
        case .stopped, .busy:
            break
        }
    }

    // MARK: Journal halts

    /// Called once for every run that stops because the journal refused a write (metrics,
    /// notifications, STATUS=).
    public func onHalt(_ observer: @escaping @Sendable (RunHalt) async -> Void) {
        haltObserver = observer
    }

    /// Records that `runId`'s executor stopped because the journal refused a write, if it did:
    /// the driver calls this when its loop ends halted, and the control API after an operator's
    /// action was refused (the executor halts then, before its loop notices). Once per halt.
    public func noteHaltIfAny(_ runId: String) async {
        guard halted[runId] == nil, let executor = await engine.held(runId), await executor.isHalted else { return }
        await noteHalt(runId, code: nil)
    }

    private func noteHalt(_ runId: String, code: JournalError.Code?) async {
        guard halted[runId] == nil else { return }
        let halt = Self.halt(runId, error: journal.lastRefusal(stream: runId), code: code, journal: journal.path, at: clock.now())
        halted[runId] = halt
        log.critical(
            halt.message,
            [
                "run": runId, "code": halt.code, "journal": halt.journal,
                "sqlite": halt.sqliteCode.map { String($0) } ?? "-",
            ])
        await haltObserver?(halt)
    }

    /// The halt as an operator reads it: which file, SQLite's error, what to do, what was kept.
    static func halt(_ runId: String, error: JournalError?, code: JournalError.Code?, journal path: String, at time: Date) -> RunHalt {
        let code = error?.code ?? code ?? .appendRejected
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let fix: String
        switch code {
        case .diskFull: fix = "free space on \(directory)"
        case .readOnly: fix = "make \(directory) and \(path) writable for the cutoverd user"
        case .busy: fix = "stop the other process holding \(path) locked"
        default: fix = "fix the cause above"
        }
        let what = [code.rawValue] + (error?.sqliteCode.map { ["SQLite error \($0)"] } ?? [])
        let message =
            "run \(runId) stopped: the journal \(path) could not be written (\(what.joined(separator: ", ")): "
            + "\(error?.message ?? "no detail")). To continue: \(fix), then `cutoverctl resume \(runId)` or restart cutoverd. "
            + "Nothing journaled was lost; the step in flight will be checked before it is repeated"
        return RunHalt(runId: runId, code: code.rawValue, sqliteCode: error?.sqliteCode, journal: path, since: time, message: message)
    }

    /// Continues a run that stopped because the journal refused a write, once the cause is fixed:
    /// first journals the recovery (in the daemon's stream, naming who and the halt) — if the
    /// journal still refuses, nothing changes and the answer says so — then rebuilds the run from
    /// the journal, as a restart would, and drives it. Attempts that were started but not
    /// journaled as finished are reconciled with `check` before anything is repeated.
    /// Returns nil when the run was not halted.
    @discardableResult
    public func recover(_ runId: String, by identity: OperatorIdentity) async throws(RunManagementError) -> RunExecutor? {
        guard let halt = halted[runId] else { return nil }
        guard !stopping else { throw .shuttingDown("cutoverd is stopping; the run resumes when it restarts") }
        do {
            try DaemonStream.append(
                journal, kind: "daemon.run-recovered",
                DaemonStream.RunRecovered(
                    run: runId, by: identity.description, haltedAt: halt.since, code: halt.code,
                    sqliteCode: halt.sqliteCode),
                at: clock.now())
        } catch {
            throw .journalStillUnavailable("the journal still cannot be written (\(error)); run \(runId) stays stopped. \(halt.message)")
        }
        let executor: RunExecutor
        do {
            executor = try await engine.reload(runId)
        } catch {
            throw .journalStillUnavailable("cannot rebuild run \(runId) from the journal: \(error)")
        }
        halted[runId] = nil
        log.notice("run recovered after the journal refused a write", ["run": runId, "by": identity.description, "halted": halt.code])
        if await !executor.state.status.isTerminal, drivers[runId] == nil { drive(executor) }
        return executor
    }

    // MARK: Lookups

    /// The run's executor: live while unfinished, a view rebuilt from the journal once finished.
    public func executor(_ runId: String) async throws(EngineError) -> RunExecutor {
        try await engine.executor(for: runId)
    }

    /// The executor in memory for `runId`; nil once the run has finished (or is unknown).
    public func held(_ runId: String) async -> RunExecutor? {
        await engine.held(runId)
    }

    /// The run as `status` shows it (a finished run's from what the engine kept of it).
    public func snapshot(of runId: String) async throws(EngineError) -> RunSnapshot {
        try await engine.snapshot(of: runId)
    }

    /// Every run, oldest first.
    public func snapshots() async -> [RunSnapshot] {
        await engine.snapshots()
    }

    public func active() async -> [RunExecutor] {
        await engine.active()
    }

    /// Runs stopped because the journal refused a write, by run ID.
    public var haltedRuns: [String: RunHalt] { halted }

    public func halt(of runId: String) -> RunHalt? { halted[runId] }

    /// Re-drives a run whose driver ended while the run is still open (an operator acted on a run
    /// whose loop had returned, e.g. after a journal halt cleared). No-op when driven.
    public func ensureDriven(_ runId: String) async {
        guard !stopping, drivers[runId] == nil, halted[runId] == nil, let executor = await engine.held(runId) else { return }
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
