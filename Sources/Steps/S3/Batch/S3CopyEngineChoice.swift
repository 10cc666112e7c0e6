import Foundation
import Runbook

/// `engine:` on `s3.copy-objects`: which primitive copies the objects.
///
/// - `per-object` (default): `s3.copy`, Cutover's own concurrent copier.
/// - `batch-operations`: `s3.batch-copy`, an S3 Batch Operations job (needs `batchRole` and
///   `batchStaging`), failed tasks re-copied per object.
/// - `auto`: `s3.batch-copy` decides when it runs, from the source's object count: a job from
///   `batchThreshold` objects on, a per-object copy below. The planner cannot count objects (it
///   does no I/O), so the plan says the rule rather than the outcome.
struct S3CopyEngineChoice {
    var engine: String
    var role: String?
    var staging: String?
    var threshold: Int

    static let engines = ["per-object", "batch-operations", "auto"]

    static let inputs: [StepInput] = [
        StepInput(
            "engine", .string,
            summary:
                "`per-object` (default), `batch-operations` (S3 Batch Operations), or `auto` (Batch Operations from `batchThreshold` objects on, decided when the step runs)."
        ),
        StepInput(
            "batchRole", .string,
            summary:
                "ARN of the IAM role in the destination account that the Batch Operations job acts as; it must trust batchoperations.s3.amazonaws.com."
        ),
        StepInput("batchStaging", .string, summary: "Bucket in the destination account for the job's manifest and completion report."),
        StepInput("batchThreshold", .int, summary: "Objects from which `engine: auto` uses Batch Operations (default 100000)."),
    ]

    /// Reads and checks the engine inputs; nil when they are in error (reported on `reader`).
    static func read(_ reader: inout StepInputReader) -> S3CopyEngineChoice? {
        let engine = reader.string("engine") ?? "per-object"
        guard engines.contains(engine) else {
            reader.report(
                "bad-value", "`with.engine` must be one of \(engines.joined(separator: ", "))", hint: "the default is per-object",
                at: reader.value("engine"))
            return nil
        }
        let choice = S3CopyEngineChoice(
            engine: engine, role: reader.string("batchRole"), staging: reader.string("batchStaging"),
            threshold: reader.int("batchThreshold") ?? BatchCopyInputs.defaultThreshold)
        guard engine != "per-object" else { return choice }
        var complete = true
        if choice.role?.hasPrefix("arn:") != true || choice.role?.contains(":role/") != true {
            reader.report(
                "missing-key", "`with.engine: \(engine)` needs `batchRole`, the ARN of the role the Batch Operations job acts as",
                hint: "batchRole: arn:aws:iam::ACCOUNT:role/cutover-batch-copy", at: reader.value("batchRole") ?? reader.value("engine"))
            complete = false
        }
        if choice.staging == nil {
            reader.report(
                "missing-key",
                "`with.engine: \(engine)` needs `batchStaging`, a bucket in the destination account for the manifest and report",
                hint: "batchStaging: my-bucket-batch-staging", at: reader.value("engine"))
            complete = false
        }
        if let value = reader.value("batchThreshold"), choice.threshold < 1 {
            reader.report("bad-value", "`with.batchThreshold` must be at least 1", at: value)
            complete = false
        }
        return complete ? choice : nil
    }

    var usesBatch: Bool { engine != "per-object" }

    /// Turns the per-object copy template into the batch one (same name, inputs and placement):
    /// `inputs` are the copy's, which the batch step carries beside the job's.
    func apply(
        to copy: PrimitiveTemplate, inputs: S3CopyInputs, fromBucket: String, toAccount: String, of step: StepSpec
    ) throws(RunbookDiagnostics) -> PrimitiveTemplate {
        guard usesBatch, let role, let staging else { return copy }
        var batch = copy
        batch.type = S3PrimitiveType.batchCopy
        batch.account = toAccount
        batch.title =
            engine == "auto"
            ? copy.title + " — engine auto: S3 Batch Operations (role \(role)) if \(fromBucket) holds at least \(threshold) objects "
                + "when the step runs, else per object (a job spends minutes preparing, longer than copying a smaller bucket); "
                + "per object whenever the history is copied (a job cannot keep a key's versions in order)"
            : copy.title
                + " — with S3 Batch Operations (role \(role), manifest and report in \(staging)); failed tasks re-copied per object"
        batch.estimatedDuration = .seconds(30 * 60)
        batch.inputs = try StepValues.encode(
            BatchCopyInputs(
                copy: inputs, staging: S3Location(account: toAccount, bucket: staging), role: role,
                engine: engine == "auto" ? .auto : .batchOperations, threshold: threshold),
            of: step)
        return batch
    }
}
