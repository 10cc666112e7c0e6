import Runbook

/// What `s3.batch-copy` hands on: the per-object copy's outputs when it copied per object
/// (`engine: auto` below the threshold, a versioned source, nothing a job can take), else the
/// job's counts.
enum BatchCopyOutputs: Encodable, Sendable {
    case perObject(S3CopyOutputs)
    case job(S3BatchJobOutputs)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .perObject(let outputs): try outputs.encode(to: encoder)
        case .job(let outputs): try outputs.encode(to: encoder)
        }
    }
}

/// A finished Batch Operations job's counts, and the outputs of the per-object pass that copied
/// what it did not (as `perObject.NAME`).
struct S3BatchJobOutputs: Encodable, Sendable {
    var jobId: String
    var tasks: Int
    var tasksSucceeded: Int
    var tasksFailed: Int
    var activeSeconds: Int
    /// Source objects the job's manifest did not hold (other storage classes, written since).
    var leftToPerObject = 0
    /// Failed tasks in the completion report.
    var reportFailedTasks = 0
    /// The per-object pass's outputs, when one ran.
    var perObject: S3CopyOutputs? = nil

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init(stringValue: String) { self.init(stringValue) }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(jobId, forKey: Key("jobId"))
        try container.encode(tasks, forKey: Key("tasks"))
        try container.encode(tasksSucceeded, forKey: Key("tasksSucceeded"))
        try container.encode(tasksFailed, forKey: Key("tasksFailed"))
        try container.encode(activeSeconds, forKey: Key("activeSeconds"))
        try container.encode(leftToPerObject, forKey: Key("leftToPerObject"))
        try container.encode(reportFailedTasks, forKey: Key("reportFailedTasks"))
        guard let perObject else { return }
        for (name, value) in try StepValues.outputs(perObject) { try container.encode(value, forKey: Key("perObject.\(name)")) }
    }
}
