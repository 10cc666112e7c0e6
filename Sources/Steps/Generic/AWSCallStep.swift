import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// Executes `aws.call`: one call of the operation the plan names, journaled through the
/// `AWSCallBoundary` when it mutates, its outputs picked from the answer.
///
/// Crash reconciliation: there is no generic way to observe whether an arbitrary call took
/// effect, so `check` says so — a read-only or `idempotent: true` call is simply made again
/// (`notDone`); any other call is `unknown` and the engine asks the operator (retry, mark-done,
/// rollback) with the call named. Undo runs the plan's `undo` call; its parameters read this
/// step's journaled outputs (`${self.outputs.NAME}`), and error codes in `ignoreErrors` (the
/// thing is already gone) count as undone, so a repeated undo after a crash is harmless.
///
/// Its outputs are named by the runbook (`outputs:`), so they stay text by name.
struct AWSCallStep: TypedStep {
    let sessions: any AccountSessions
    let catalog: AWSModelCatalog

    func run(_ inputs: AWSCallInputs, _ context: StepContext) async throws -> TypedStepResult<[String: String]> {
        let call = try GenericCallInputs(inputs, step: context.step.id, catalog: catalog)
        let mutating = context.step.effect == .mutating
        let answer = try await call.send(
            sessions: sessions, context: context, mutating: mutating, irreversible: context.step.reversibility == .irreversible)
        var outputs: [String: String] = [:]
        for (name, path) in call.outputPaths {
            switch path.evaluate(answer.document) {
            case .success(let value): outputs[name] = value.text
            case .failure(let problem):
                throw StepError(
                    code: StepErrorCode.outputNotFound,
                    message: "\(call.service) \(call.operation) " + (mutating ? "succeeded" : "answered")
                        + (answer.requestId.map { " (request ID \($0))" } ?? "")
                        + " but output `\(name)` (`\(path)`) is not in its answer: \(problem.message)"
                        + (mutating ? "; the call took effect: do not retry it blindly — mark-done or roll back" : ""),
                    retryable: false, account: call.account, resource: call.resource, requestId: answer.requestId)
            }
        }
        return .done(outputs)
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        // Never fails: with inputs it cannot read it still asks the operator, naming what it can.
        let inputs = try? decodeInputs(context)
        if context.step.effect == .readOnly || inputs?.idempotent == true { return .notDone }
        let service = inputs?.service ?? "?"
        let operation = inputs?.operation ?? "?"
        return .unknown(
            reason: "\(service) \(operation) was started in account \(inputs?.account ?? "?") and cutoverd "
                + "stopped before its answer was journaled; an arbitrary AWS call has no generic check (declare "
                + "`idempotent: true` when repeating it is harmless)")
    }

    func undo(_ context: StepContext) async throws {
        let inputs = try decodeInputs(context)
        guard let undo = inputs.undo else {
            throw StepError(code: "NotUndoable", message: "\(context.step.id) has no undo call", retryable: false)
        }
        let own = context.outputs[context.step.id] ?? [:]
        let parameters = Self.resolvingSelf(undo.parameters.value, outputs: own)
        if let unresolved = OutputReferenceText.firstSelf(in: parameters) {
            throw StepError(
                code: StepErrorCode.outputMissing,
                message: "the undo of \(context.step.id) reads \(unresolved), which the journal does not hold for it",
                retryable: false)
        }
        let call = try GenericCallInputs(
            AWSCallInputs(
                account: inputs.account, service: undo.service, operation: undo.operation, parameters: OrderedJSON(parameters),
                outputs: [:], resource: inputs.resource),
            step: context.step.id, catalog: catalog)
        let ignored = Set(undo.ignoreErrors)
        do {
            _ = try await call.send(sessions: sessions, context: context, mutating: true, irreversible: false)
        } catch let error as StepError where ignored.contains(error.code) {
            return  // already undone (e.g. NotFound): journaled with AWS's code by the boundary
        }
    }

    /// `${self.outputs.NAME}` replaced by this step's journaled output.
    static func resolvingSelf(_ value: JSONValue, outputs: [String: String]) -> JSONValue {
        switch value {
        case .string(var text):
            for (name, output) in outputs { text = text.replacingOccurrences(of: "${self.outputs.\(name)}", with: output) }
            return .string(text)
        case .array(let items): return .array(items.map { resolvingSelf($0, outputs: outputs) })
        case .object(let entries): return .object(entries.map { ($0.0, resolvingSelf($0.1, outputs: outputs)) })
        default: return value
        }
    }
}

/// Finds an unresolved `${self.outputs.NAME}` left in an undo's parameters.
private enum OutputReferenceText {
    static func firstSelf(in value: JSONValue) -> String? {
        switch value {
        case .string(let text):
            guard let open = text.range(of: "${self.outputs."), let close = text[open.upperBound...].firstIndex(of: "}") else { return nil }
            return String(text[open.lowerBound...close])
        case .array(let items): return items.lazy.compactMap(firstSelf).first
        case .object(let entries): return entries.lazy.compactMap { firstSelf(in: $0.1) }.first
        default: return nil
        }
    }
}
