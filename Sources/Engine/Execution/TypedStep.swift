import Runbook

/// A primitive with a typed contract: it declares `Inputs` (what its definition encodes into the
/// plan) and `Outputs` (what later steps read with `${steps.ID.outputs.NAME}`), and the engine's
/// untyped `run` is derived — decode the inputs, run, encode the outputs. An input the plan
/// should have provided and did not is `InvalidInputs`, naming the input, never a crash.
public protocol TypedStep: Step {
    associatedtype Inputs: Decodable & Sendable
    associatedtype Outputs: Encodable & Sendable
    func run(_ inputs: Inputs, _ context: StepContext) async throws -> TypedStepResult<Outputs>
}

/// What one attempt of a typed step achieved (`StepResult` with typed outputs).
public enum TypedStepResult<Outputs: Encodable & Sendable>: Sendable {
    case done(Outputs)
    case notYet(progress: String, after: Duration? = nil)
}

extension TypedStep {
    public func run(_ context: StepContext) async throws -> StepResult {
        let inputs = try decodeInputs(context)
        switch try await run(inputs, context) {
        case .done(let outputs):
            do {
                return .done(outputs: try StepValues.outputs(outputs))
            } catch {
                throw StepError(code: "InvalidOutputs", message: "\(context.step.id): \(error)", retryable: false)
            }
        case .notYet(let progress, let after):
            return .notYet(progress: progress, after: after)
        }
    }

    /// The step's inputs as `Inputs`, for `check` and `undo` too.
    public func decodeInputs(_ context: StepContext) throws -> Inputs {
        do {
            return try StepValues.decode(Inputs.self, from: context.step.inputs)
        } catch {
            throw StepError(
                code: "InvalidInputs", message: "\(context.step.id) (\(context.step.type)): \(StepValues.describe(error))",
                retryable: false)
        }
    }
}

extension CheckResult {
    /// `.done` with a typed step's outputs, in the one format its `run` journals them in.
    public static func done(_ outputs: some Encodable) throws -> CheckResult {
        .done(outputs: try StepValues.outputs(outputs))
    }
}
