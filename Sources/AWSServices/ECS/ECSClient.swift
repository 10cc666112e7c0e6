import Foundation

/// The ECS calls a service redeploy needs — read a service, resolve a task definition to its
/// ARN, update the service — typed, on one account's `AWSClient` (JSON 1.1).
///
/// Every call throws `AWSError`: AWS's own code (`ServiceNotFoundException`,
/// `ClusterNotFoundException`, `ClientException`, …) with the request ID, or `MalformedResponse`
/// naming the operation when a 2xx body is not the documented shape.
public struct ECSClient: Sendable {
    public let client: AWSClient

    /// Uses `client`'s account, credentials and transport; a client for another service is
    /// re-targeted at ECS.
    public init(client: AWSClient) {
        self.client = client.service == .ecs ? client : client.with(service: .ecs)
    }

    /// `DescribeServices`: the services found and the failures (ECS does not fail the call for a
    /// missing service: it lists it with reason `MISSING`).
    public func describeServices(cluster: String?, services: [String]) async throws -> (services: [ECSService], failures: [ECSFailure]) {
        struct Input: Encodable, Sendable {
            var cluster: String?
            var services: [String]
        }
        struct Output: Decodable, Sendable {
            var services: [ECSService]?
            var failures: [ECSFailure]?
        }
        let (output, _): (Output, String?) = try await call(
            "DescribeServices", Input(cluster: cluster, services: services), resource: services.first)
        return (output.services ?? [], output.failures ?? [])
    }

    /// `UpdateService`; returns the service as ECS reports it after the change, and the request ID.
    public func updateService(_ request: UpdateServiceRequest) async throws -> (service: ECSService, requestId: String?) {
        struct Output: Decodable, Sendable {
            var service: ECSService
        }
        let (output, requestId): (Output, String?) = try await call("UpdateService", request, resource: request.service)
        return (output.service, requestId)
    }

    /// `DescribeTaskDefinition` of `family`, `family:revision` or an ARN; the latest `ACTIVE`
    /// revision for a bare family. An unknown one fails with `ClientException`.
    public func describeTaskDefinition(_ taskDefinition: String) async throws -> ECSTaskDefinition {
        struct Input: Encodable, Sendable {
            var taskDefinition: String
        }
        struct Output: Decodable, Sendable {
            var taskDefinition: ECSTaskDefinition
        }
        let (output, _): (Output, String?) = try await call(
            "DescribeTaskDefinition", Input(taskDefinition: taskDefinition), resource: taskDefinition)
        return output.taskDefinition
    }

    /// Sends one operation and decodes the body; a body that is not the documented shape is a
    /// `.malformedResponse` error naming the operation.
    private func call<Input: Encodable & Sendable, Output: Decodable>(
        _ operation: String, _ input: Input, resource: String?
    ) async throws -> (Output, String?) {
        let response = try await client.json(operation: operation, input: input, resource: resource)
        do {
            return (
                try JSONDecoder().decode(Output.self, from: response.body.isEmpty ? Data("{}".utf8) : response.body), response.requestId
            )
        } catch {
            throw client.malformed(AWSRequest(operation: operation, resource: resource), response, reason: "\(error)")
        }
    }
}

/// `UpdateService` with the fields a redeploy changes; nil fields are not sent (ECS keeps them).
public struct UpdateServiceRequest: Sendable, Hashable, Encodable {
    public var cluster: String?
    public var service: String
    public var taskDefinition: String?
    public var desiredCount: Int?
    public var forceNewDeployment: Bool?

    public init(cluster: String?, service: String, taskDefinition: String? = nil, desiredCount: Int? = nil, forceNewDeployment: Bool? = nil)
    {
        self.cluster = cluster
        self.service = service
        self.taskDefinition = taskDefinition
        self.desiredCount = desiredCount
        self.forceNewDeployment = forceNewDeployment
    }
}

/// A task definition revision, as far as a redeploy names it.
public struct ECSTaskDefinition: Sendable, Hashable, Decodable {
    public var taskDefinitionArn: String
    public var family: String?
    public var revision: Int?
    /// `ACTIVE`, `INACTIVE` or `DELETE_IN_PROGRESS`.
    public var status: String?

    public init(taskDefinitionArn: String, family: String? = nil, revision: Int? = nil, status: String? = nil) {
        self.taskDefinitionArn = taskDefinitionArn
        self.family = family
        self.revision = revision
        self.status = status
    }
}
