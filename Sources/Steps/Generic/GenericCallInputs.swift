import AWSServices
import Engine
import Runbook

/// A planned generic call, checked against this cutoverd's catalog (a plan may be older).
struct GenericCallInputs {
    var account: String
    var service: String
    var operation: String
    var parameters: AWSParameterValue
    var outputPaths: [(String, AWSAnswerPath)]
    var resource: String?
    var model: AWSServiceModel

    init(_ inputs: AWSCallInputs, step: String, catalog: AWSModelCatalog) throws {
        let account = inputs.account
        let service = inputs.service
        let operation = inputs.operation
        guard let model = catalog.service(service), model.operations[operation] != nil else {
            throw StepError(
                code: StepErrorCode.invalidInputs,
                message: "\(step) calls \(service) \(operation), which this cutoverd's AWS catalog does not have",
                retryable: false)
        }
        self.account = account
        self.service = service
        self.operation = operation
        self.model = model
        parameters = AWSOperationSpec.parameters(inputs.parameters.value)
        resource = inputs.resource
        var paths: [(String, AWSAnswerPath)] = []
        for (name, text) in inputs.outputs.sorted(by: { $0.key < $1.key }) {
            let path: AWSAnswerPath
            do {
                path = try AWSAnswerPath(text)
            } catch {
                throw StepError(code: StepErrorCode.invalidInputs, message: "\(step): output \(name): \(error)", retryable: false)
            }
            // Invariant 7, again at run time: a plan from an older catalog must not journal a secret.
            if let secret = model.sensitiveMember(in: path) {
                throw StepError(
                    code: StepErrorCode.invalidInputs,
                    message: "\(step): output \(name) reads `\(secret)`, a sensitive value, which is never journaled",
                    retryable: false)
            }
            paths.append((name, path))
        }
        outputPaths = paths
    }

    /// Sends the call in the runbook account; a mutating call is journaled (intent was journaled
    /// by the engine before the attempt; here its outcome with the request ID).
    func send(sessions: any AccountSessions, context: StepContext, mutating: Bool, irreversible: Bool) async throws -> AWSGenericAnswer {
        let accountId = sessions.accountId(account) ?? account
        let label = resource ?? "\(service) \(operation)"
        let client = try await AWSCallBoundary.read(account: accountId, resource: label) {
            AWSGenericClient(client: try await sessions.client(model.clientService, account: account), model: model)
        }
        let body: () async throws -> AWSGenericAnswer = {
            do {
                return try await client.call(operation, parameters: parameters, resource: label, irreversible: irreversible)
            } catch let error as AWSParameterError {
                throw StepError(
                    code: StepErrorCode.invalidInputs,
                    message: "\(service) \(operation): parameter \(error.description)", retryable: false,
                    account: accountId, resource: label)
            }
        }
        guard mutating else { return try await AWSCallBoundary.read(account: accountId, resource: label, body) }
        let boundary = AWSCallBoundary(context: context, service: model.signingName, region: sessions.region)
        return try await boundary.mutate(operation, account: accountId, resource: label) {
            let answer = try await body()
            return (answer, answer.requestId)
        }
    }
}
