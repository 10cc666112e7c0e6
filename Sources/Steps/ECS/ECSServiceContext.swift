import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// One primitive of an `ecs.update-service` step at work: its settings, the account's client,
/// the outputs of the primitives before it, and the boundary for its AWS calls.
struct ECSServiceContext: PrimitiveContext {
    typealias Inputs = ECSServiceSettings

    let step: StepContext
    let settings: ECSServiceSettings
    let sessions: any AccountSessions

    init(_ step: StepContext, _ settings: ECSServiceSettings, sessions: any AccountSessions) {
        self.step = step
        self.settings = settings
        self.sessions = sessions
    }

    var accountId: String { sessions.accountId(settings.account) ?? settings.account }
    var resource: String { "\(settings.cluster)/\(settings.service)" }
    var calls: AWSCallBoundary { AWSCallBoundary(context: step, service: "ecs", region: sessions.region) }

    /// An output of another primitive of this step (`read`, `update`).
    func output(of primitive: String, _ key: String) -> String? {
        step.output(of: "\(step.step.origin).\(primitive)", key).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An output the plan guarantees (a primitive before this one produced it); its absence means
    /// the journal and plan disagree.
    func required(_ primitive: String, _ key: String) throws -> String {
        guard let value = output(of: primitive, key) else {
            throw StepError(
                code: "OutputMissing",
                message: "\(step.step.origin).\(primitive) journaled no `\(key)`; cannot \(step.phase == .undo ? "restore" : "go on")",
                retryable: false, account: accountId, resource: resource)
        }
        return value
    }

    func client() async throws -> ECSClient {
        try await AWSCallBoundary.read(account: accountId, resource: resource) { try await sessions.ecs(settings.account) }
    }

    /// The service as ECS reports it now; a missing or inactive service fails the step.
    func service() async throws -> ECSService {
        let client = try await client()
        let (services, failures) = try await AWSCallBoundary.read(account: accountId, resource: resource) {
            try await client.describeServices(cluster: settings.cluster, services: [settings.service])
        }
        guard let service = services.first else {
            let reason = failures.first.map { "\($0.reason ?? "?")\($0.detail.map { ": \($0)" } ?? "")" } ?? "not in the answer"
            throw StepError(
                code: AWSErrorCode.serviceNotFound.name,
                message: "ECS service \(settings.service) in cluster \(settings.cluster): \(reason)",
                retryable: false, account: accountId, resource: resource)
        }
        guard service.status == nil || service.status == "ACTIVE" else {
            throw StepError(
                code: AWSErrorCode.serviceNotActive.name,
                message: "ECS service \(settings.service) in cluster \(settings.cluster) is \(service.status ?? "?")",
                retryable: false, account: accountId, resource: service.serviceArn ?? resource)
        }
        return service
    }

    /// `UpdateService`, journaled; returns the service as ECS answered.
    func update(_ request: UpdateServiceRequest) async throws -> ECSService {
        let client = try await client()
        return try await calls.mutate("UpdateService", account: accountId, resource: resource) {
            let answer = try await client.updateService(request)
            return (answer.service, answer.requestId)
        }
    }

    func now() -> Date { step.clock.now() }
}
