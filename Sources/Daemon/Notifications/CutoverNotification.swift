/// Something an operator should hear about without watching `cutoverctl status`: a step waiting
/// for approval or a decision, a failure, the window closing, a run that ended.
public struct CutoverNotification: Sendable, Equatable, Codable {
    /// What happened. The raw values are what `events:` lists in `cutoverd.yaml`.
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        case approvalNeeded = "approval-needed"
        case decisionNeeded = "decision-needed"
        case stepFailed = "step-failed"
        case windowEnding = "window-ending"
        case runFinished = "run-finished"
        /// The journal refused a write (disk full, read-only) and the run stopped where it was.
        case runHalted = "run-halted"
    }

    public var kind: Kind
    public var runId: String
    /// The runbook's name.
    public var runbook: String
    /// The step concerned, when there is one.
    public var step: String?
    /// One line: "Approval needed: delete-source-bucket".
    public var title: String
    /// What happened and what it means, for a person.
    public var text: String
    /// Extra facts shown with the message (`approvers`, `options`, `error`, `window ends`, …).
    /// `approvers` (e.g. `group:cutover-approvers`) and `options` (e.g. `retry, rollback`) also
    /// shape who is asked to act and the command shown.
    public var fields: [String: String]

    public init(
        kind: Kind, runId: String, runbook: String, step: String? = nil, title: String, text: String,
        fields: [String: String] = [:]
    ) {
        self.kind = kind
        self.runId = runId
        self.runbook = runbook
        self.step = step
        self.title = title
        self.text = text
        self.fields = fields
    }
}
