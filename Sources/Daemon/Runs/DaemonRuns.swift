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
    private(set) var halted: [String: RunHalt] = [:]
    private var haltObserver: (@Sendable (RunHalt) async -> Void)?
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
        guard halted[runId] == nil, let executor = executors[runId], await executor.isHalted else { return }
        await noteHalt(runId, code: nil)
    }

    private func noteHalt(_ runId: String, code: JournalError.Code?) async {
        guard halted[runId] == nil else { return }
        let halt = Self.halt(runId, error: journal.lastRefusal(stream: runId), code: code, journal: journal.path, at: clock.now())
        halted[runId] = halt
        log.critical(halt.message, ["run": runId, "code": halt.code, "journal": halt.journal,
                                    "sqlite": halt.sqliteCode.map { String($0) } ?? "-"])
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
        let message = "run \(runId) stopped: the journal \(path) could not be written (\(what.joined(separator: ", ")): "
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
    public func recover(_ runId: String, by identity: OperatorIdentity) async throws(ControlFailure) -> RunExecutor? {
        guard let halt = halted[runId] else { return nil }
        guard !stopping else { throw ControlFailure(503, ControlErrorCode.shuttingDown, "cutoverd is stopping; the run resumes when it restarts") }
        do {
            try DaemonStream.append(
                journal, kind: "daemon.run-recovered",
                DaemonStream.RunRecovered(run: runId, by: identity.description, haltedAt: halt.since, code: halt.code,
                                          sqliteCode: halt.sqliteCode),
                at: clock.now())
        } catch {
            throw ControlFailure(503, EngineError.Code.journalUnavailable.rawValue,
                                 "the journal still cannot be written (\(error)); run \(runId) stays stopped. \(halt.message)")
        }
        let executor: RunExecutor
        do {
            executor = try await makeExecutor(runId)
        } catch {
            throw ControlFailure(503, EngineError.Code.journalUnavailable.rawValue, "cannot rebuild run \(runId) from the journal: \(error)")
        }
        executors[runId] = executor
        halted[runId] = nil
        log.notice("run recovered after the journal refused a write", ["run": runId, "by": identity.description, "halted": halt.code])
        if await !executor.state.status.isTerminal, drivers[runId] == nil { drive(executor) }
        return executor
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

    /// Runs stopped because the journal refused a write, by run ID.
    public var haltedRuns: [String: RunHalt] { halted }

    public func halt(of runId: String) -> RunHalt? { halted[runId] }

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
