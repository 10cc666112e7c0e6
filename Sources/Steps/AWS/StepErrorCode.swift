/// The codes steps themselves give a `StepError` where no AWS code applies, named once so that a
/// runbook's `retry.on` means the same thing for every step family.
enum StepErrorCode {
    /// A transient AWS failure (throttling, 5xx, a dropped connection), whatever AWS's own code was.
    static let transient = "TransientError"
    /// A step input the plan should have provided is missing or malformed: re-plan the runbook.
    static let invalidInputs = "InvalidInputs"
    /// The RDS share copy is the last copy of its point in time: kept until an operator decides.
    static let lastCopy = "LastCopy"
    /// The KMS key a run created for a share is pending deletion while the move still needs it.
    static let shareKeyPendingDeletion = "ShareKeyPendingDeletion"
    /// `aws.call`: an output's path is not in the answer.
    static let outputNotFound = "OutputNotFound"
    /// A journaled output a call needs (its undo's `${…outputs.NAME}`) is not in the journal.
    static let outputMissing = "OutputMissing"
    /// `aws.wait`: the watched value does not match yet (retryable until the step's timeout).
    static let valueNotMatched = "ValueNotMatched"
}
