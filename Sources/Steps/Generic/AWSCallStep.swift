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
struct AWSCallStep: Step {
    let sessions: any AccountSessions
    let catalog: AWSModelCatalog

    func run(_ context: StepContext) async throws -> StepResult {
        let inputs = context.step.inputs
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
        return .done(outputs: outputs)
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let inputs = context.step.inputs
        if context.step.effect == .readOnly || inputs["idempotent"]?.boolValue == true { return .notDone }
        let service = inputs["service"]?.stringValue ?? "?"
        let operation = inputs["operation"]?.stringValue ?? "?"
        return .unknown(
            reason: "\(service) \(operation) was started in account \(inputs["account"]?.stringValue ?? "?") and cutoverd "
                + "stopped before its answer was journaled; an arbitrary AWS call has no generic check (declare "
                + "`idempotent: true` when repeating it is harmless)")
    }

    func undo(_ context: StepContext) async throws {
        let inputs = context.step.inputs
        guard var undo = inputs["undo"] else {
            throw StepError(code: "NotUndoable", message: "\(context.step.id) has no undo call", retryable: false)
        }
        let own = context.outputs[context.step.id] ?? [:]
        undo = Self.resolvingSelf(undo, outputs: own)
        if let unresolved = OutputReferenceText.firstSelf(in: undo) {
            throw StepError(
                code: StepErrorCode.outputMissing,
                message: "the undo of \(context.step.id) reads \(unresolved), which the journal does not hold for it",
                retryable: false)
        }
        var members: [(String, JSONValue)] = [("account", inputs["account"] ?? .null)]
        if case .object(let entries) = undo { members += entries }
        members.append(("outputs", .object([])))
        members.append(("resource", inputs["resource"] ?? .null))
        let call = try GenericCallInputs(.object(members), step: context.step.id, catalog: catalog)
        let ignored = Set((undo["ignoreErrors"]?.arrayValue ?? []).compactMap(\.stringValue))
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
