/// Why the engine refused an operator's request or could not go on, with a stable code for the
/// control API and a message that says what to do.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable {
        case runNotFound = "run-not-found"
        case stepNotFound = "step-not-found"
        case notWaitingForApproval = "not-waiting-for-approval"
        case notAnApprover = "not-an-approver"
        case initiatorMayNotApprove = "initiator-may-not-approve"
        case alreadyApproved = "already-approved"
        case commentRequired = "comment-required"
        case notWaitingForDecision = "not-waiting-for-decision"
        case unknownOption = "unknown-option"
        case invalidTransition = "invalid-transition"
        case nothingToRetry = "nothing-to-retry"
        case undoNotFailed = "undo-not-failed"
        case unknownStepType = "unknown-step-type"
        case journalUnavailable = "journal-unavailable"
        case corruptJournal = "corrupt-journal"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
