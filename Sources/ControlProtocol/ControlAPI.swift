import Engine
import Foundation

/// The control API's wire types: what `cutoverd` answers on its unix socket and `cutoverctl`
/// reads. JSON, camelCase keys, dates as ISO 8601 with fractional seconds (`ControlJSON`).
///
/// Routes (all under the socket, HTTP/1.1):
///
/// | Method | Path | Body | Answer |
/// |---|---|---|---|
/// | GET | /v1/health | – | `HealthView` |
/// | GET | /v1/runs | – | `RunList` |
/// | POST | /v1/runs | `StartRunRequest` | 201 `RunView` |
/// | GET | /v1/runs/{id} | – | `RunView` |
/// | GET | /v1/runs/{id}/plan | – | the plan as `PlanRenderer.json` writes it |
/// | GET | /v1/runs/{id}/approvals | – | `ApprovalsView` |
/// | POST | /v1/runs/{id}/approvals | `ApprovalRequest` | `ActionResult` |
/// | GET | /v1/runs/{id}/events?after=N&follow=true | – | NDJSON stream of `EventLine` |
/// | POST | /v1/runs/{id}/{pause,resume,cancel,rollback,retry,mark-undone} | `ActionRequest` | `ActionResult` |
/// | POST | /v1/runs/{id}/decide | `DecideRequest` | `ActionResult` |
/// | POST | /v1/plan | `PlanRequest` | `PlanResponse` |
/// | GET | /v1/runbooks | – | `RunbookList` (the runbook directories, re-read on reload) |
/// | POST | /v1/reload | – | `ActionResult` (same as SIGHUP) |
/// | GET | /metrics | – | Prometheus text format |
///
/// Every error is `APIErrorBody` with a stable `code` (`ControlErrorCode`).
public enum ControlAPI {
    public static let version = "v1"
}

public struct HealthView: Codable, Sendable, Equatable {
    public var status: String
    public var version: String
    public var pid: Int32
    /// The daemon's clock (scaled in demos): countdowns are computed against this, not the caller's clock.
    public var now: Date
    public var startedAt: Date
    public var journalRecords: Int64
    public var activeRuns: Int
    /// The identity the daemon resolved for the caller from SO_PEERCRED.
    public var you: OperatorIdentity
    /// Runs stopped because the journal refused a write; `status` is not `ok` while any is listed.
    public var haltedRuns: [RunHalt]?

    public init(
        status: String, version: String, pid: Int32, now: Date, startedAt: Date, journalRecords: Int64,
        activeRuns: Int, you: OperatorIdentity, haltedRuns: [RunHalt]? = nil
    ) {
        self.haltedRuns = haltedRuns
        self.status = status
        self.version = version
        self.pid = pid
        self.now = now
        self.startedAt = startedAt
        self.journalRecords = journalRecords
        self.activeRuns = activeRuns
        self.you = you
    }
}

public struct RunSummary: Codable, Sendable, Equatable {
    public var runId: String
    public var runbook: String
    public var status: RunStatus
    public var reason: String
    public var initiator: String
    public var createdAt: Date
    public var stepsDone: Int
    public var stepsTotal: Int
    /// The step(s) running, waiting or awaiting someone, comma-separated.
    public var current: String?
    /// Set while the run is stopped because the journal refused a write.
    public var halt: RunHalt?

    public init(
        runId: String, runbook: String, status: RunStatus, reason: String, initiator: String, createdAt: Date,
        stepsDone: Int, stepsTotal: Int, current: String?, halt: RunHalt? = nil
    ) {
        self.halt = halt
        self.runId = runId
        self.runbook = runbook
        self.status = status
        self.reason = reason
        self.initiator = initiator
        self.createdAt = createdAt
        self.stepsDone = stepsDone
        self.stepsTotal = stepsTotal
        self.current = current
    }
}

public struct RunList: Codable, Sendable, Equatable {
    public var runs: [RunSummary]
    public init(runs: [RunSummary]) { self.runs = runs }
}

/// `POST /v1/runs`: the runbook travels as text so the daemon plans exactly what the operator saw;
/// `file` is only the name diagnostics and the journal show.
public struct StartRunRequest: Codable, Sendable, Equatable {
    public var file: String
    public var runbook: String
    public var parameters: [String: String]
    /// If given, the plan hash the operator reviewed: the daemon refuses to start a different plan.
    public var expectPlanHash: String?

    public init(file: String, runbook: String, parameters: [String: String] = [:], expectPlanHash: String? = nil) {
        self.file = file
        self.runbook = runbook
        self.parameters = parameters
        self.expectPlanHash = expectPlanHash
    }
}

/// Who must approve a step that waits for approval, and who already did.
public struct PendingApproval: Codable, Sendable, Equatable {
    public var step: String
    public var title: String
    public var message: String?
    public var required: Int
    public var approvedBy: [String]
    /// `user:alice`, `group:cutover-approvers`.
    public var approvers: [String]
    public var initiatorMayApprove: Bool
    public var distinct: Bool
    public var deadline: Date?
    /// The step is irreversible (a point of no return).
    public var irreversible: Bool

    public init(
        step: String, title: String, message: String?, required: Int, approvedBy: [String], approvers: [String],
        initiatorMayApprove: Bool, distinct: Bool, deadline: Date?, irreversible: Bool
    ) {
        self.step = step
        self.title = title
        self.message = message
        self.required = required
        self.approvedBy = approvedBy
        self.approvers = approvers
        self.initiatorMayApprove = initiatorMayApprove
        self.distinct = distinct
        self.deadline = deadline
        self.irreversible = irreversible
    }
}

/// A step that waits for an operator's decision (`decide RUN STEP OPTION`).
public struct PendingDecision: Codable, Sendable, Equatable {
    public var step: String
    public var title: String
    public var reason: String
    public var options: [String]

    public init(step: String, title: String, reason: String, options: [String]) {
        self.step = step
        self.title = title
        self.reason = reason
        self.options = options
    }
}

/// One approval or rejection as journaled.
public struct ApprovalRecord: Codable, Sendable, Equatable {
    public var step: String
    public var verdict: String
    public var by: OperatorIdentity?
    public var at: Date
    public var comment: String?

    public init(step: String, verdict: String, by: OperatorIdentity?, at: Date, comment: String?) {
        self.step = step
        self.verdict = verdict
        self.by = by
        self.at = at
        self.comment = comment
    }
}

public struct ApprovalsView: Codable, Sendable, Equatable {
    public var pending: [PendingApproval]
    public var decided: [ApprovalRecord]
    public init(pending: [PendingApproval], decided: [ApprovalRecord]) {
        self.pending = pending
        self.decided = decided
    }
}

/// `GET /v1/runs/{id}`: everything `cutoverctl status` shows.
public struct RunView: Codable, Sendable, Equatable {
    public var run: RunSnapshot
    /// The daemon's clock when this was taken (countdowns, window time left).
    public var now: Date
    public var pendingApprovals: [PendingApproval]
    public var pendingDecisions: [PendingDecision]
    /// Set while the run is stopped because the journal refused a write (`run.reason` says so too).
    public var halt: RunHalt?

    public init(
        run: RunSnapshot, now: Date, pendingApprovals: [PendingApproval], pendingDecisions: [PendingDecision],
        halt: RunHalt? = nil
    ) {
        self.halt = halt
        self.run = run
        self.now = now
        self.pendingApprovals = pendingApprovals
        self.pendingDecisions = pendingDecisions
    }
}

/// `POST /v1/runs/{id}/approvals`.
public struct ApprovalRequest: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable { case approve, reject }
    public var step: String
    public var verdict: Verdict
    public var comment: String?
    public init(step: String, verdict: Verdict, comment: String?) {
        self.step = step
        self.verdict = verdict
        self.comment = comment
    }
}

/// `POST /v1/runs/{id}/{pause,resume,cancel,rollback,retry,mark-undone}`; `step` only for `retry`
/// and `mark-undone` (which needs it, and a comment).
public struct ActionRequest: Codable, Sendable, Equatable {
    public var comment: String?
    public var step: String?
    public init(comment: String? = nil, step: String? = nil) {
        self.comment = comment
        self.step = step
    }
}

/// `POST /v1/runs/{id}/decide`.
public struct DecideRequest: Codable, Sendable, Equatable {
    public var step: String
    public var option: String
    public var comment: String?
    public init(step: String, option: String, comment: String? = nil) {
        self.step = step
        self.option = option
        self.comment = comment
    }
}

/// What an operator action did.
public struct ActionResult: Codable, Sendable, Equatable {
    public var runId: String
    public var action: String
    public var status: RunStatus
    public var message: String
    public init(runId: String, action: String, status: RunStatus, message: String) {
        self.runId = runId
        self.action = action
        self.status = status
        self.message = message
    }
}

/// One line of `GET /v1/runs/{id}/events`: a journal record, or a `heartbeat` / `end` marker.
public struct EventLine: Codable, Sendable, Equatable {
    /// The journal's global sequence (resume a stream with `?after=`); 0 for markers.
    public var sequence: Int64
    public var kind: String
    public var time: Date
    public var step: String?
    /// A one-line description for people.
    public var summary: String
    /// The record's JSON payload, verbatim.
    public var payload: String?

    public init(sequence: Int64, kind: String, time: Date, step: String?, summary: String, payload: String?) {
        self.sequence = sequence
        self.kind = kind
        self.time = time
        self.step = step
        self.summary = summary
        self.payload = payload
    }
}

/// Every error answer: `{"error": {"code": "...", "message": "...", "details": [...]}}`.
public struct APIErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var code: String
    public var message: String
    /// e.g. every runbook diagnostic (`file:line:column: error: …`).
    public var details: [Detail]?

    public init(code: String, message: String, details: [Detail]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    private struct Envelope: Codable { var error: APIErrorBody }

    public func encoded() -> Data {
        (try? ControlJSON.encoder().encode(Envelope(error: self)))
            ?? Data(#"{"error":{"code":"internal","message":"unencodable error"}}"#.utf8)
    }

    public static func decode(_ data: Data) -> APIErrorBody? {
        try? ControlJSON.decoder().decode(Envelope.self, from: data).error
    }
}

/// Stable error codes beyond the engine's own (`EngineError.Code` raw values pass through as-is).
public enum ControlErrorCode {
    public static let badRequest = "bad-request"
    public static let notFound = "not-found"
    public static let methodNotAllowed = "method-not-allowed"
    public static let peerNotAuthorized = "peer-not-authorized"
    public static let runbookInvalid = "runbook-invalid"
    public static let planChanged = "plan-changed"
    public static let shuttingDown = "shutting-down"
    public static let internalError = "internal"
}

/// The JSON coding both sides use.
public enum ControlJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time: \(text)")
            }
            return date
        }
        return decoder
    }

    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}

/// `POST /v1/plan`: plan a runbook with the daemon's step catalog and, with `preflight`, run the
/// read-only checks against both accounts (identities, source resources, names free) — nothing
/// is journaled and nothing changes in AWS.
public struct PlanRequest: Codable, Sendable, Equatable {
    public var file: String
    public var runbook: String
    public var parameters: [String: String]
    public var preflight: Bool

    public init(file: String, runbook: String, parameters: [String: String] = [:], preflight: Bool) {
        self.file = file
        self.runbook = runbook
        self.parameters = parameters
        self.preflight = preflight
    }
}

/// One read-only preflight finding.
public struct PreflightCheck: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable { case ok, warning, failed }
    public var account: String?
    public var check: String
    public var outcome: Outcome
    public var detail: String

    public init(account: String?, check: String, outcome: Outcome, detail: String) {
        self.account = account
        self.check = check
        self.outcome = outcome
        self.detail = detail
    }
}

public struct PlanResponse: Codable, Sendable, Equatable {
    /// `PlanRenderer.text` of the plan, for people.
    public var text: String
    /// `PlanRenderer.json` of the plan (a JSON document as a string, verbatim).
    public var json: String
    public var hash: String
    public var preflight: [PreflightCheck]?

    public init(text: String, json: String, hash: String, preflight: [PreflightCheck]?) {
        self.text = text
        self.json = json
        self.hash = hash
        self.preflight = preflight
    }
}

/// A runbook in the daemon's runbook directories (`GET /v1/runbooks`), re-read at start and on
/// every reload (SIGHUP).
public struct RunbookInfo: Codable, Sendable, Equatable {
    public var name: String
    public var file: String
    public var valid: Bool
    /// Every diagnostic, `file:line:column: error: …`.
    public var problems: [String]

    public init(name: String, file: String, valid: Bool, problems: [String]) {
        self.name = name
        self.file = file
        self.valid = valid
        self.problems = problems
    }
}

public struct RunbookList: Codable, Sendable, Equatable {
    public var directories: [String]
    public var runbooks: [RunbookInfo]
    public init(directories: [String], runbooks: [RunbookInfo]) {
        self.directories = directories
        self.runbooks = runbooks
    }
}
