import Foundation

/// What a rehearsal run observed, in the twin's simulated time: the facts the report is built
/// from (`RehearsalReport.build`), gathered by `RehearsalRun` from the private cutoverd. Plain
/// values, so a report can be built — and tested — from a fixed record.
public struct RehearsalRecord: Sendable, Codable, Equatable {
    /// One primitive of the plan as the twin ran it.
    public struct Step: Sendable, Codable, Equatable {
        public var id: String
        /// `succeeded`, `failed`, `pending`, `awaiting-decision`… as the engine reports it.
        public var status: String
        public var attempts: Int
        /// The step's first and last journal record in simulated time; nil when it never started.
        public var firstEvent: Date?
        public var lastEvent: Date?
        /// The last error, as an operator reads it (code, message, account, resource, request ID).
        public var error: String?

        public init(id: String, status: String, attempts: Int, firstEvent: Date?, lastEvent: Date?, error: String?) {
            self.id = id
            self.status = status
            self.attempts = attempts
            self.firstEvent = firstEvent
            self.lastEvent = lastEvent
            self.error = error
        }
    }

    /// An approval the rehearsal answered.
    public struct Approval: Sendable, Codable, Equatable {
        public var step: String
        public var message: String?
        /// Who the real run needs (`group:cutover-approvers`, how many, whether the initiator may).
        public var realPolicy: String
        public var pointOfNoReturn: Bool
        /// Simulated time of the answer.
        public var answeredAt: Date

        public init(step: String, message: String?, realPolicy: String, pointOfNoReturn: Bool, answeredAt: Date) {
            self.step = step
            self.message = message
            self.realPolicy = realPolicy
            self.pointOfNoReturn = pointOfNoReturn
            self.answeredAt = answeredAt
        }
    }

    /// A read-only preflight finding on the twin.
    public struct Finding: Sendable, Codable, Equatable {
        public var account: String?
        public var check: String
        /// `ok`, `warning` or `failed`.
        public var outcome: String
        public var detail: String

        public init(account: String?, check: String, outcome: String, detail: String) {
            self.account = account
            self.check = check
            self.outcome = outcome
            self.detail = detail
        }
    }

    public var runId: String?
    /// The run's status when the rehearsal stopped following it (`completed`, `paused`…) and why.
    public var runStatus: String
    public var runReason: String
    /// Set when the run stopped for an operator's decision the rehearsal does not make.
    public var pendingDecision: String?
    public var speed: Double
    /// Simulated time when the run started and when the rehearsal stopped following it.
    public var startedAt: Date?
    public var endedAt: Date?
    /// Wall-clock seconds the rehearsal took, start of the simulator to the end of the run.
    public var realSeconds: Double
    public var steps: [Step]
    public var approvals: [Approval]
    public var preflight: [Finding]

    public init(
        runId: String?, runStatus: String, runReason: String, pendingDecision: String? = nil, speed: Double,
        startedAt: Date?, endedAt: Date?, realSeconds: Double, steps: [Step], approvals: [Approval], preflight: [Finding]
    ) {
        self.runId = runId
        self.runStatus = runStatus
        self.runReason = runReason
        self.pendingDecision = pendingDecision
        self.speed = speed
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.realSeconds = realSeconds
        self.steps = steps
        self.approvals = approvals
        self.preflight = preflight
    }
}
