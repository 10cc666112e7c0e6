import AWSServices
import Engine
import Runbook

/// Executes `aws.wait`: one read per attempt; a value that does not match (or is not in the
/// answer yet) is a retryable `ValueNotMatched`, so the engine's retry policy — every `every`
/// until `timeout` after the first read, on the engine's clock — does the waiting.
struct AWSWaitStep: TypedStep {
    let sessions: any AccountSessions
    let catalog: AWSModelCatalog

    func run(_ inputs: AWSWaitInputs, _ context: StepContext) async throws -> TypedStepResult<[String: String]> {
        let call = try GenericCallInputs(inputs.call, step: context.step.id, catalog: catalog)
        let pathText = inputs.path
        guard let path = try? AWSAnswerPath(pathText), call.model.sensitiveMember(in: path) == nil
        else {
            throw StepError(
                code: StepErrorCode.invalidInputs,
                message: "\(context.step.id) has no valid path (or it reads a sensitive value): re-plan the runbook",
                retryable: false)
        }
        let expected = inputs.expected
        let answer = try await call.send(sessions: sessions, context: context, mutating: false, irreversible: false)
        let seen: String
        switch path.evaluate(answer.document) {
        case .success(let value):
            if expected.contains(value.text) {
                var outputs = ["value": value.text]
                for (name, outputPath) in call.outputPaths {
                    if case .success(let picked) = outputPath.evaluate(answer.document) { outputs[name] = picked.text }
                }
                return .done(outputs)
            }
            seen = "is `\(value.text)`"
        case .failure(let problem):
            seen = "is not in the answer yet (\(problem.message))"
        }
        let want = expected.count == 1 ? "`\(expected[0])`" : "one of " + expected.map { "`\($0)`" }.joined(separator: ", ")
        await context.progress("\(pathText) \(seen)")
        throw StepError(
            code: StepErrorCode.valueNotMatched,
            message: "\(call.service) \(call.operation): \(pathText) \(seen), waiting for \(want)",
            retryable: true, account: sessions.accountId(call.account) ?? call.account, resource: call.resource,
            requestId: answer.requestId)
    }

    /// Read-only: after a crash the read is simply made again.
    func check(_ context: StepContext) async throws -> CheckResult { .notDone }
}
