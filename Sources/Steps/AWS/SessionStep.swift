import Engine
import Runbook

/// What one attempt of a primitive works with: its typed inputs, the account sessions it acts
/// through, and what it derives from them (clients, names, the boundary for its AWS calls).
protocol PrimitiveContext: Sendable {
    associatedtype Inputs: Decodable & Sendable
    init(_ step: StepContext, _ inputs: Inputs, sessions: any AccountSessions)
}

/// A typed primitive that acts through the runbook's accounts: `run` is handed its decoded
/// inputs; `check` and `undo` build the same context from the plan with `work(_:)`.
protocol SessionStep: TypedStep where Inputs == Work.Inputs {
    associatedtype Work: PrimitiveContext
    var sessions: any AccountSessions { get }
}

extension SessionStep {
    func work(_ step: StepContext, _ inputs: Inputs) -> Work { Work(step, inputs, sessions: sessions) }

    /// The context for `check` and `undo`, from the step's planned inputs.
    func work(_ step: StepContext) throws -> Work { Work(step, try decodeInputs(step), sessions: sessions) }
}
