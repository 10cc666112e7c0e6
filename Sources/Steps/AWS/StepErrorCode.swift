/// The codes steps themselves give a `StepError` where no AWS code applies, named once so that a
/// runbook's `retry.on` means the same thing for every step family.
enum StepErrorCode {
    /// A transient AWS failure (throttling, 5xx, a dropped connection), whatever AWS's own code was.
    static let transient = "TransientError"
    /// A step input the plan should have provided is missing or malformed: re-plan the runbook.
    static let invalidInputs = "InvalidInputs"
}
