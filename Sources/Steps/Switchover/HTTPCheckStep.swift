import AWSClient
import Engine
import Foundation
import Runbook

/// Executes `http.check`: one GET per attempt. The status and body text are compared with what
/// the runbook expects; a mismatch or a transport failure is a retryable `HealthCheckFailed`,
/// so the engine tries again under the step's policy until its time limit.
struct HTTPCheckStep: TypedStep {
    let transport: any HTTPTransport

    func run(_ inputs: HTTPCheckInputs, _ context: StepContext) async throws -> TypedStepResult<HTTPCheckOutputs> {
        let url = inputs.url
        let limit = Duration.seconds(inputs.requestTimeout)
        let response: HTTPResponse
        do {
            response = try await transport.send(
                HTTPRequest(method: "GET", url: url, headers: ["User-Agent": "cutoverd http.check"]),
                timeout: TransportTimeouts(connect: min(limit, .seconds(5)), total: limit))
        } catch {
            throw StepError(code: "HealthCheckFailed", message: "GET \(url): \(error)", retryable: true, resource: url)
        }
        var problems: [String] = []
        if response.status != inputs.status { problems.append("answered \(response.status), not \(inputs.status)") }
        if let text = inputs.contains, !String(decoding: response.body, as: UTF8.self).contains(text) {
            problems.append("the body does not contain “\(text)”")
        }
        guard problems.isEmpty else {
            let excerpt = String(decoding: response.body.prefix(120), as: UTF8.self)
            throw StepError(
                code: "HealthCheckFailed", message: "GET \(url) " + problems.joined(separator: " and ") + " (body begins: \(excerpt))",
                retryable: true, resource: url)
        }
        return .done(HTTPCheckOutputs(status: response.status, checkedAt: context.clock.now()))
    }

    /// Read-only: after a crash the check is simply made again.
    func check(_ context: StepContext) async throws -> CheckResult { .notDone }
}

/// The switch-over step types that need no AWS account.
public enum SwitchoverSteps {
    public static var definitions: [any StepDefinition] { [HTTPCheckDefinition()] }

    public static func executors(transport: any HTTPTransport = CurlTransport.shared) -> [(String, any Step)] {
        [(HTTPCheckDefinition.type, HTTPCheckStep(transport: transport))]
    }
}
