import Foundation

/// How fast simulated Batch Operations jobs move (AWS states no rate, BO-10, so every figure here
/// is a knob, not a claim about AWS). Durations are simulated seconds.
public struct S3BatchTimings: Sendable, Equatable {
    /// Time in `New` before preparation starts.
    public var newSeconds: TimeInterval = 1
    /// Fixed part of `Preparing` (reading and validating the manifest)…
    public var preparingSeconds: TimeInterval = 2
    /// …plus one second per this many manifest rows ("Preparing grows with the manifest", BO-10).
    public var preparingRowsPerSecond: Double = 100_000
    /// Time in `Ready` before the job turns `Active` (no queue of other jobs is modelled).
    public var readySeconds: TimeInterval = 1
    /// The job rate: tasks finished per simulated second while `Active`.
    public var tasksPerSecond: Double = 100
    public var completingSeconds: TimeInterval = 1
    public var cancellingSeconds: TimeInterval = 1
    /// A job fails once more than half of its tasks failed, judged from this many tasks on (BO-8).
    public var failureThresholdMinimumTasks = 1000

    public init() {}
}

/// A task failure to inject: every task whose source key starts with `keyPrefix` fails with
/// `error` (at most `count` times when set) instead of copying. Job tasks are not HTTP requests,
/// so the request-level `FaultInjector` never sees them; this is their fault hook.
public struct S3BatchTaskFault: Sendable, Equatable {
    public var keyPrefix: String
    public var error: SimError
    public var count: Int?

    public init(keyPrefix: String, error: SimError, count: Int? = nil) {
        self.keyPrefix = keyPrefix
        self.error = error
        self.count = count
    }
}

/// S3 Control's part of the world: Batch Operations jobs by account, the client request tokens
/// they were created with, and the knobs that pace them.
public struct S3ControlState: Sendable {
    /// By account, then job ID.
    public internal(set) var jobs: [String: [String: S3ControlJob]] = [:]
    /// `account/token` → job ID (CreateJob idempotency).
    var tokens: [String: String] = [:]
    public var timings = S3BatchTimings()
    public var taskFaults: [S3BatchTaskFault] = []
    private var serial: UInt64 = 0

    public init() {}

    /// A job ID in AWS's UUID form (`JobId` allows 5–36 of `[a-zA-Z0-9-_]`), deterministic per world.
    mutating func newJobId() -> String {
        serial += 1
        let mixed = serial &* 0x9E37_79B9_7F4A_7C15
        let hex = String(mixed, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - hex.count)) + hex
        let a = padded.prefix(8), b = padded.dropFirst(8).prefix(4), c = padded.suffix(4)
        return "\(a)-\(b)-4\(c.prefix(3))-8\(String(format: "%03x", serial % 4096))-\(String(format: "%012x", serial))"
    }

    /// The fault, if any, that the task for `key` meets; spends one of its counted uses.
    mutating func fault(for key: String) -> SimError? {
        guard let index = taskFaults.firstIndex(where: { key.hasPrefix($0.keyPrefix) && ($0.count ?? 1) > 0 }) else { return nil }
        if let count = taskFaults[index].count { taskFaults[index].count = count - 1 }
        return taskFaults[index].error
    }
}
