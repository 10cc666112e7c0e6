/// The codes steps themselves give a `StepError` where no AWS code applies, named once so that a
/// runbook's `retry.on` means the same thing for every step family.
enum StepErrorCode {
    /// A transient AWS failure (throttling, 5xx, a dropped connection), whatever AWS's own code was.
    static let transient = "TransientError"
    /// A step input the plan should have provided is missing or malformed: re-plan the runbook.
    static let invalidInputs = "InvalidInputs"
    /// `aws.call`: an output's path is not in the answer.
    static let outputNotFound = "OutputNotFound"
    /// A journaled output a call needs (its undo's `${…outputs.NAME}`) is not in the journal.
    static let outputMissing = "OutputMissing"
    /// `aws.wait`: the watched value does not match yet (retryable until the step's timeout).
    static let valueNotMatched = "ValueNotMatched"
}
