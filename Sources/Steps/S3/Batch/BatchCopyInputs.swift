import Engine
import Foundation

/// What `s3.batch-copy` reads from its plan inputs. Besides these it passes `from`, `to`,
/// `concurrency`, `mirror`, `kmsKeyMap` and `copyAs` on to the per-object copy it runs for the
/// tasks the job could not copy (the same inputs `s3.copy` reads).
struct BatchCopyInputs: Sendable {
    /// `batch-operations` always creates a job; `auto` does so only from `threshold` objects on.
    enum Engine: String, Sendable {
        case batchOperations = "batch-operations"
        case auto
    }

    var from: S3Location
    var to: S3Location
    /// The bucket (in the destination account) that holds the manifest and the completion report.
    var staging: S3Location
    /// The role the job acts as, in the destination account (`batchRole`).
    var role: String
    var engine: Engine
    var threshold: Int
    var priority: Int
    /// Remove what the destination holds beyond the source (a move's copies), after the job.
    var mirror: Bool

    /// The default `auto` threshold: below it a per-object copy finishes before a job has left
    /// `Preparing` (see docs/SIMULATOR.md, "S3 Batch Operations", for the measured figures).
    static let defaultThreshold = 100_000

    init(_ inputs: S3StepInputs) throws {
        from = try inputs.location("from")
        to = try inputs.location("to")
        staging = try inputs.location("staging")
        role = try inputs.string("batchRole")
        let engineName = inputs.optionalString("engine") ?? Engine.batchOperations.rawValue
        guard let engine = Engine(rawValue: engineName) else {
            throw StepError(
                code: StepErrorCode.invalidInputs, message: "step \(inputs.stepId) has engine `\(engineName)`; expected batch-operations or auto",
                retryable: false)
        }
        self.engine = engine
        threshold = inputs.int("threshold", default: Self.defaultThreshold)
        priority = inputs.int("priority", default: 10)
        mirror = inputs.bool("mirror")
    }
}
