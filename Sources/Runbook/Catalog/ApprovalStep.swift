/// `uses: approval`: the run stops until the step's approval policy (or the runbook's) is met.
/// `message:` is the instruction approvers see ("Put the admin console into maintenance mode,
/// then approve.").
public struct ApprovalStep: StepDefinition {
    public init() {}

    public var type: String { "approval" }
    public var summary: String {
        "Stop until enough approvers approve; `message:` tells them what to check or do first."
    }
    public var inputs: [StepInput] { [] }
    public var outputs: [StepOutput] {
        [StepOutput("approvedBy", from: .primitive(nil, key: "approvedBy"), summary: "who approved, comma-separated")]
    }

    /// How long a person usually takes to read, act and approve; used only for the window projection.
    public static let estimatedDuration: Duration = .seconds(5 * 60)

    public func expand(
        _ step: StepSpec, in context: ExpansionContext
    ) throws(RunbookDiagnostics)
        -> [PrimitiveTemplate]
    {
        let instruction = step.message?.split(separator: "\n").first.map(String.init)
        return [
            PrimitiveTemplate(
                type: "approval", title: instruction.map { "Approve: \($0)" } ?? "Approve `\(step.id)`",
                effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: Self.estimatedDuration,
                requiresApproval: true)
        ]
    }
}
