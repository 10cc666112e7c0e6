import ControlProtocol
import Engine
import Foundation
import Journal
import Runbook
import Synchronization

/// The control API's routes (ControlAPI.swift lists them): decodes requests, checks the caller's
/// role, calls the engine, and answers JSON. The caller is whoever the kernel says is on the
/// other end of the socket; nothing in a request body names a person.
public final class ControlRoutes: ControlHandler {
    public struct Dependencies: Sendable {
        public var runs: DaemonRuns
        public var runbooks: RunbookLibrary
        public var journal: Journal
        public var hub: RunEventHub
        public var clock: any EngineClock
        public var identify: @Sendable (PeerCredentials) -> OperatorIdentity
        public var metrics: @Sendable () async -> String
        public var reload: @Sendable (OperatorIdentity) async -> Result<String, ControlFailure>
        public var preflight: @Sendable (RunbookPlan) async -> [PreflightCheck]
        public var version: String
        public var startedAt: Date

        public init(
            runs: DaemonRuns, runbooks: RunbookLibrary, journal: Journal, hub: RunEventHub, clock: any EngineClock,
            identify: @escaping @Sendable (PeerCredentials) -> OperatorIdentity,
            metrics: @escaping @Sendable () async -> String,
            reload: @escaping @Sendable (OperatorIdentity) async -> Result<String, ControlFailure>,
            preflight: @escaping @Sendable (RunbookPlan) async -> [PreflightCheck],
            version: String, startedAt: Date
        ) {
            self.runs = runs
            self.runbooks = runbooks
            self.journal = journal
            self.hub = hub
            self.clock = clock
            self.identify = identify
            self.metrics = metrics
            self.reload = reload
            self.preflight = preflight
            self.version = version
            self.startedAt = startedAt
        }
    }

    let deps: Dependencies
    private let accessRules: Mutex<ControlAccess>
    let log: DaemonLog

    public init(_ deps: Dependencies, access: ControlAccess, log: DaemonLog) {
        self.deps = deps
        accessRules = Mutex(access)
        self.log = log
    }

    /// Applied by a reload; requests already past their check keep the old answer.
    public var access: ControlAccess {
        get { accessRules.withLock { $0 } }
        set { accessRules.withLock { $0 = newValue } }
    }

    public func handle(_ request: ControlRequest, peer: PeerCredentials) async -> ControlResponse {
        let identity = deps.identify(peer)
        do {
            return try await route(request, identity)
        } catch {
            if error.status >= 500 {
                log.error("control request failed", ["path": request.path, "code": error.body.code, "error": error.body.message])
            }
            return error.response
        }
    }

    private func route(_ request: ControlRequest, _ who: OperatorIdentity) async throws(ControlFailure) -> ControlResponse {
        switch (request.method, ControlRoute(path: request.path)) {
        case ("GET", .health):
            return try json(200, await health(who))
        case ("GET", .metrics):
            try require(who, .approver)
            return .full(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Data(await deps.metrics().utf8))
        case ("GET", .runs):
            try require(who, .approver)
            var summaries: [RunSummary] = []
            for snapshot in await deps.runs.snapshots() {
                summaries.append(RunViews.summary(snapshot, halt: await deps.runs.halt(of: snapshot.runId)))
            }
            return try json(200, RunList(runs: summaries))
        case ("GET", .runbooks):
            try require(who, .approver)
            return try json(200, deps.runbooks.list)
        case ("POST", .runs):
            try require(who, .operator)
            var body = try decode(StartRunRequest.self, request)
            if body.runbook.isEmpty {
                // By name, from the runbook directories.
                guard let entry = deps.runbooks.find(body.file) else {
                    throw ControlFailure(
                        404, ControlErrorCode.notFound,
                        "no runbook \(body.file) in the runbook directories (\(deps.runbooks.list.directories.joined(separator: ", "))); "
                            + "pass a file instead, or reload after adding it")
                }
                guard let text = try? String(contentsOfFile: entry.file, encoding: .utf8) else {
                    throw ControlFailure(503, ControlErrorCode.notFound, "cannot read \(entry.file)")
                }
                body.file = entry.file
                body.runbook = text
            }
            let executor: RunExecutor
            do {
                executor = try await deps.runs.start(body, by: who)
            } catch {
                throw ControlFailure(error)
            }
            return try json(201, await view(executor))
        case ("POST", .plan):
            try require(who, .operator)
            let body = try decode(PlanRequest.self, request)
            let plan: RunbookPlan
            do {
                plan = try DaemonRuns.plan(
                    body.runbook, file: body.file, parameters: body.parameters, catalog: deps.runs.catalog,
                    rehearsal: deps.runs.rehearsal)
            } catch {
                throw ControlFailure(error)
            }
            let checks = body.preflight ? await deps.preflight(plan) : nil
            return try json(
                200, PlanResponse(text: PlanRenderer().text(plan), json: PlanRenderer().json(plan), hash: plan.hash, preflight: checks))
        case ("POST", .reload):
            try require(who, .operator)
            switch await deps.reload(who) {
            case let .success(message):
                return try json(200, ["message": message])
            case let .failure(failure):
                throw failure
            }
        case ("GET", .run(let id)):
            try require(who, .approver)
            return try json(200, try await view(of: id))
        case ("GET", .runPlan(let id)):
            try require(who, .approver)
            let executor = try await lookUp(id)
            return .json(200, Data(PlanRenderer().json(await executor.state.plan).utf8))
        case ("GET", .approvals(let id)):
            try require(who, .approver)
            let executor = try await lookUp(id)
            let state = await executor.state
            let snapshot = await executor.snapshot()
            return try json(
                200,
                ApprovalsView(
                    pending: RunViews.pendingApprovals(state: state, snapshot: snapshot),
                    decided: RunViews.decided(try events(of: id))))
        case ("POST", .approvals(let id)):
            try require(who, .approver)
            let body = try decode(ApprovalRequest.self, request)
            let executor = try await actionable(id, who).executor
            do {
                switch body.verdict {
                case .approve: try await executor.approve(step: body.step, by: who, comment: body.comment)
                case .reject: try await executor.reject(step: body.step, by: who, reason: body.comment ?? "")
                }
            } catch {
                throw await refused(id, ControlFailure(error))
            }
            log.notice("step \(body.verdict == .approve ? "approved" : "rejected")", ["run": id, "step": body.step, "by": who.description])
            return try await acted(
                executor, body.verdict == .approve ? "approve" : "reject",
                "\(body.step) \(body.verdict == .approve ? "approved" : "rejected") by \(who)")
        case ("GET", .events(let id)):
            try require(who, .approver)
            do {
                _ = try await deps.runs.snapshot(of: id)
            } catch {
                throw ControlFailure(error)
            }
            let after = Int64(request.query["after"] ?? "0") ?? 0
            let follow = ["1", "true", "yes"].contains(request.query["follow"]?.lowercased() ?? "")
            return try eventStream(id, after: after, follow: follow)
        case ("POST", .action(let id, let action)):
            try require(who, .operator)
            let (executor, recovered) = try await actionable(id, who)
            let statusNow = await executor.state.status
            let continuedOnly = recovered && action == "resume" && statusNow != .paused
            let message: String
            do {
                switch action {
                case "resume" where continuedOnly:
                    message =
                        "run \(id) continued by \(who) from its journal after the journal write failure; "
                        + "an attempt that was in flight is checked before it is repeated"
                case "pause":
                    let body = try decodeOptional(ActionRequest.self, request)
                    try await executor.pause(by: who, comment: body.comment)
                    message = "run \(id) paused by \(who): steps in flight finish, nothing new starts"
                case "resume":
                    let body = try decodeOptional(ActionRequest.self, request)
                    try await executor.resume(by: who, comment: body.comment)
                    message = "run \(id) resumed by \(who)"
                case "cancel":
                    let body = try decodeOptional(ActionRequest.self, request)
                    try await executor.cancel(by: who, comment: body.comment)
                    message = "run \(id) cancelled by \(who); nothing was rolled back"
                case "rollback":
                    let body = try decodeOptional(ActionRequest.self, request)
                    try await executor.rollback(by: who, comment: body.comment)
                    message = "run \(id) rolling back, by \(who): completed steps are undone in reverse order"
                case "retry":
                    let body = try decodeOptional(ActionRequest.self, request)
                    try await executor.retry(step: body.step, by: who, comment: body.comment)
                    message = "run \(id): \(body.step ?? "failed steps") retried by \(who)"
                case "mark-undone":
                    let body = try decodeOptional(ActionRequest.self, request)
                    guard let step = body.step else {
                        throw ControlFailure(400, ControlErrorCode.badRequest, "mark-undone needs the step whose undo was done by hand")
                    }
                    try await executor.markUndone(step: step, by: who, comment: body.comment)
                    message = "run \(id): the undo of \(step) marked done by \(who); the rollback goes on"
                case "decide":
                    let body = try decode(DecideRequest.self, request)
                    try await executor.decide(
                        step: body.step, option: DecisionOption(rawValue: body.option), by: who, comment: body.comment)
                    message = "run \(id): \(who) chose \(body.option) for \(body.step)"
                default:
                    throw ControlFailure(
                        404, ControlErrorCode.notFound,
                        "no action \(action); use pause, resume, cancel, rollback, retry, mark-undone or decide")
                }
            } catch let error as EngineError {
                throw await refused(id, ControlFailure(error))
            } catch let error as ControlFailure {
                throw error
            } catch {
                throw ControlFailure(500, ControlErrorCode.internalError, "\(error)")
            }
            log.notice("operator action", ["run": id, "action": action, "by": who.description])
            await deps.runs.ensureDriven(id)
            return try await acted(executor, action, message)
        case (_, .health), (_, .metrics), (_, .runs), (_, .runbooks), (_, .plan), (_, .reload), (_, .run), (_, .runPlan), (_, .approvals),
            (_, .events), (_, .action):
            throw ControlFailure(405, ControlErrorCode.methodNotAllowed, "\(request.method) is not allowed on \(request.path)")
        default:
            throw ControlFailure(404, ControlErrorCode.notFound, "no route \(request.path); the API is under /v1 (see cutoverctl --help)")
        }
    }

    // MARK: Pieces

    private func require(_ who: OperatorIdentity, _ role: ControlAccess.Role) throws(ControlFailure) {
        if let refusal = access.refusal(for: who, needs: role) {
            log.warning("control request refused", ["by": who.description, "reason": refusal])
            throw ControlFailure(403, ControlErrorCode.peerNotAuthorized, refusal)
        }
    }

    private func health(_ who: OperatorIdentity) async -> HealthView {
        let active = await deps.runs.active().count
        let halted = await deps.runs.haltedRuns.values.sorted { $0.runId < $1.runId }
        return HealthView(
            status: halted.isEmpty ? "ok" : "degraded: " + halted.map(\.message).joined(separator: "; "),
            version: deps.version, pid: getpid(), now: deps.clock.now(), startedAt: deps.startedAt,
            journalRecords: (try? deps.journal.recordCount) ?? -1, activeRuns: active, you: who,
            haltedRuns: halted.isEmpty ? nil : halted)
    }

    /// The run as `status` shows it. A finished run with no gate still asking is answered from the
    /// snapshot the engine kept, without rebuilding its state from the journal: a 300-step run's
    /// rebuild cost about 11 ms per `status`. A gate's message, approvers and deadline live only in
    /// the state, so a run that ended while one was asking takes the long way.
    private func view(of id: String) async throws(ControlFailure) -> RunView {
        if await deps.runs.held(id) == nil, let kept = try? await deps.runs.snapshot(of: id), kept.status.isTerminal,
            !kept.steps.contains(where: { $0.status == .awaitingApproval })
        {
            return RunViews.view(finished: kept, now: deps.clock.now(), halt: await deps.runs.halt(of: id))
        }
        return await view(try await lookUp(id))
    }

    /// For a finished run the snapshot the engine kept when it evicted the run: it still has the
    /// steps' last progress text, which only the live executor knew.
    private func view(_ executor: RunExecutor) async -> RunView {
        let snapshot: RunSnapshot
        if let kept = try? await deps.runs.snapshot(of: executor.runId) { snapshot = kept } else { snapshot = await executor.snapshot() }
        return RunViews.view(
            state: await executor.state, snapshot: snapshot, now: deps.clock.now(),
            halt: await deps.runs.halt(of: executor.runId))
    }

    /// The run's executor, ready for an operator's action: a run stopped by a journal refusal is
    /// first continued from its journal (`recovered`), which fails — changing nothing — while the
    /// journal still refuses writes.
    private func actionable(_ id: String, _ who: OperatorIdentity) async throws(ControlFailure) -> (executor: RunExecutor, recovered: Bool)
    {
        do {
            if let executor = try await deps.runs.recover(id, by: who) { return (executor, true) }
        } catch {
            throw ControlFailure(error)
        }
        return (try await lookUp(id), false)
    }

    /// The run's executor (for a finished run, a view rebuilt from the journal).
    private func lookUp(_ id: String) async throws(ControlFailure) -> RunExecutor {
        do {
            return try await deps.runs.executor(id)
        } catch {
            throw ControlFailure(error)
        }
    }

    /// An action the engine refused: when the journal refused its record, the run is now stopped,
    /// and the answer is the halt's own message (which file, which error, what to do).
    private func refused(_ id: String, _ failure: ControlFailure) async -> ControlFailure {
        guard failure.body.code == EngineError.Code.journalUnavailable.rawValue else { return failure }
        await deps.runs.noteHaltIfAny(id)
        guard let halt = await deps.runs.halt(of: id) else { return failure }
        return ControlFailure(503, failure.body.code, "nothing was changed: \(halt.message)")
    }

    private func acted(_ executor: RunExecutor, _ action: String, _ message: String) async throws(ControlFailure) -> ControlResponse {
        try json(200, ActionResult(runId: executor.runId, action: action, status: await executor.state.status, message: message))
    }

    private func events(of runId: String) throws(ControlFailure) -> [(RunEvent, Date)] {
        do {
            return try deps.journal.records(stream: runId).compactMap { record in
                (try? RunEvent(record)).flatMap { $0 }.map { ($0, record.wallTime) }
            }
        } catch {
            throw ControlFailure(503, EngineError.Code.journalUnavailable.rawValue, "cannot read run \(runId): \(error)")
        }
    }

    /// History after `after`, then (with `follow`) every new record until the run ends or the
    /// client goes away. One `EventLine` JSON per line.
    private func eventStream(_ runId: String, after: Int64, follow: Bool) throws(ControlFailure) -> ControlResponse {
        let live = follow ? deps.hub.subscribe(stream: runId) : nil
        let history: [JournalRecord]
        do {
            history = try deps.journal.records(stream: runId).filter { $0.sequence > after }
        } catch {
            throw ControlFailure(503, EngineError.Code.journalUnavailable.rawValue, "cannot read run \(runId): \(error)")
        }
        let (chunks, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let runs = deps.runs
        let clock = deps.clock
        let task = Task {
            var last = after
            var ended = false
            for record in history {
                continuation.yield(Self.line(record))
                last = record.sequence
                ended = ended || Self.isTerminal(record)
            }
            if let live {
                if !ended, let snapshot = try? await runs.snapshot(of: runId), snapshot.status.isTerminal { ended = true }
                if !ended {
                    for await record in live where record.sequence > last {
                        continuation.yield(Self.line(record))
                        last = record.sequence
                        if Self.isTerminal(record) { break }
                    }
                }
            }
            let end = EventLine(sequence: 0, kind: "end", time: clock.now(), step: nil, summary: "end of stream", payload: nil)
            continuation.yield(Self.encode(end))
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return .stream(status: 200, contentType: "application/x-ndjson", chunks: chunks)
    }

    static func isTerminal(_ record: JournalRecord) -> Bool { record.endsRun }

    static func line(_ record: JournalRecord) -> Data {
        let event = (try? RunEvent(record)).flatMap { $0 }
        return encode(
            EventLine(
                sequence: record.sequence, kind: record.kind, time: record.wallTime, step: event?.stepId,
                summary: event.map(RunViews.summary(of:)) ?? record.kind, payload: record.payload))
    }

    static func encode(_ line: EventLine) -> Data {
        var data = (try? ControlJSON.encoder().encode(line)) ?? Data()
        data.append(0x0A)
        return data
    }

    private func json<T: Encodable>(_ status: Int, _ value: T) throws(ControlFailure) -> ControlResponse {
        do {
            return .json(status, try ControlJSON.encoder().encode(value))
        } catch {
            throw ControlFailure(500, ControlErrorCode.internalError, "cannot encode the answer: \(error)")
        }
    }

    private func decode<T: Decodable & ControlRequestFields>(_ type: T.Type, _ request: ControlRequest) throws(ControlFailure) -> T {
        let unknown = T.unknownFields(in: request.body)
        if !unknown.isEmpty {
            let known = T.fields.sorted().joined(separator: ", ")
            throw .badRequest(
                "the request body has unknown field\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")) (\(T.self) takes \(known)). "
                    + "Nothing was done. Who you are comes from the socket (the kernel's SO_PEERCRED), never from the request")
        }
        do {
            return try ControlJSON.decoder().decode(T.self, from: request.body)
        } catch {
            throw .badRequest("the request body is not a valid \(T.self): \(Self.describe(error))")
        }
    }

    private func decodeOptional<T: Decodable & ControlRequestFields>(_ type: T.Type, _ request: ControlRequest) throws(ControlFailure) -> T
    where T: ExpressibleByEmptyBody {
        request.body.isEmpty ? T.empty : try decode(T.self, request)
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case let .keyNotFound(key, _)?: return "missing key \(key.stringValue)"
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?, let .dataCorrupted(context)?:
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        default: return "\(error)"
        }
    }
}

protocol ExpressibleByEmptyBody { static var empty: Self { get } }
extension ActionRequest: ExpressibleByEmptyBody { static var empty: ActionRequest { ActionRequest() } }
