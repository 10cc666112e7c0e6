import AWSServices
import Engine

/// Makes one mutating AWS call for a step and journals it right after it returns — success with
/// its request ID, or failure with AWS's code and request ID — before the step goes on. A journal
/// that refuses the record stops the step (the engine can no longer prove what happened; `check`
/// will look at AWS after the restart).
struct RDSCallJournal: Sendable {
    let context: StepContext
    let region: String

    /// - Parameters:
    ///   - account: the account ID the call acts in (the runbook's label when the ID is unknown).
    ///   - body: the call; returns its value and AWS's request ID.
    func mutate<T: Sendable>(
        service: String, operation: String, account: String, resource: String,
        _ body: () async throws -> (T, String?)
    ) async throws -> T {
        let outcome: (T, String?)
        do {
            outcome = try await body()
        } catch {
            let failure = RDSStepFailure.stepError(error, account: account, resource: resource)
            let aws = error as? AWSError
            try await context.record(AWSCallRecord(
                service: service, operation: operation, account: account, region: region, resource: resource,
                requestId: failure.requestId, outcome: failure.code, retries: max(0, (aws?.attempts ?? 1) - 1),
                mutating: true))
            throw failure
        }
        try await context.record(AWSCallRecord(
            service: service, operation: operation, account: account, region: region, resource: resource,
            requestId: outcome.1, outcome: "ok", mutating: true))
        return outcome.0
    }
}
