import Foundation

/// The simulated Secrets Manager API (JSON 1.1, `X-Amz-Target: secretsmanager.<Op>`), as the
/// `secretsmanager.put-secret-value` step and its undo use it: DescribeSecret, GetSecretValue,
/// PutSecretValue, UpdateSecretVersionStage.
///
/// Version stages follow the Secrets Manager API Reference: a PutSecretValue without
/// `VersionStages` labels the new version `AWSCURRENT`, the version that held it becomes
/// `AWSPREVIOUS` (and the old `AWSPREVIOUS` loses that label); `ClientRequestToken` is the new
/// version's ID and makes the call idempotent — the same token with the same value changes
/// nothing, with another value is `ResourceExistsException`. Moving `AWSCURRENT` with
/// UpdateSecretVersionStage moves `AWSPREVIOUS` to the version that held it. Values are never
/// written to the request log (the log records only operation and secret name).
public struct SecretsManagerSimService: SimService {
    public init() {}

    public var signingName: String { "secretsmanager" }

    static let operations: Set<String> = ["DescribeSecret", "GetSecretValue", "PutSecretValue", "UpdateSecretVersionStage"]
    static let current = "AWSCURRENT"
    static let previous = "AWSPREVIOUS"

    public func operation(of request: SimRequest) -> String? { SimJSON.operation(request, prefix: "secretsmanager", Self.operations) }

    public func render(_ error: SimError, requestId: String) -> SimResponse { SimJSON.error(error, requestId: requestId) }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let input = try SimJSONInput(request.body)
        let reference = try input.required("SecretId")
        context.resource = reference
        let index = try Self.secret(reference, context, state.switchover)
        var secret = state.switchover.secrets[index]
        let output: [String: Any]
        switch operation {
        case "DescribeSecret":
            var described: [String: Any] = [
                "ARN": secret.arn, "Name": secret.name, "CreatedDate": SimJSON.time(secret.createdAt),
                "LastChangedDate": SimJSON.time(secret.lastChangedAt),
                "VersionIdsToStages": Dictionary(
                    uniqueKeysWithValues: secret.versions.filter { !$0.stages.isEmpty }.map { ($0.id, $0.stages) }),
            ]
            described["Description"] = secret.description
            described["KmsKeyId"] = secret.kmsKeyId
            output = described
        case "GetSecretValue":
            let version: SimSecret.Version?
            if let id = input.string("VersionId") {
                version = secret.versions.first { $0.id == id }
                if let stage = input.string("VersionStage"), version?.stages.contains(stage) != true {
                    throw SimError("InvalidRequestException", "The VersionId and VersionStage do not name the same version.", status: 400)
                }
            } else {
                let stage = input.string("VersionStage") ?? Self.current
                version = secret.versions.first { $0.stages.contains(stage) }
            }
            guard let version else {
                throw SimError(
                    "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for the version or staging label.",
                    status: 400)
            }
            output = [
                "ARN": secret.arn, "Name": secret.name, "VersionId": version.id, "SecretString": version.string,
                "VersionStages": version.stages, "CreatedDate": SimJSON.time(version.createdAt),
            ]
        case "PutSecretValue":
            guard let string = input.string("SecretString") else {
                throw SimError("InvalidParameterException", "You must provide either SecretString or SecretBinary.", status: 400)
            }
            let token = input.string("ClientRequestToken") ?? UUIDText.make(state.switchover.nextSerial())
            guard (32...64).contains(token.count) else {
                throw SimError(
                    "ValidationException",
                    "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 64",
                    status: 400)
            }
            let stages = input.has("VersionStages") ? input.strings("VersionStages") : [Self.current]
            if let existing = secret.versions.first(where: { $0.id == token }) {
                guard existing.string == string else {
                    throw SimError(
                        "ResourceExistsException", "You can't modify an existing version, you can only create a new version.", status: 400)
                }
                output = ["ARN": secret.arn, "Name": secret.name, "VersionId": existing.id, "VersionStages": existing.stages]
                break
            }
            for stage in stages { Self.move(stage, to: token, in: &secret, creating: string, now: context.now) }
            if !secret.versions.contains(where: { $0.id == token }) {
                secret.versions.append(.init(id: token, string: string, stages: [], createdAt: context.now))
            }
            secret.lastChangedAt = context.now
            state.switchover.secrets[index] = secret
            context.mutated = true
            output = ["ARN": secret.arn, "Name": secret.name, "VersionId": token, "VersionStages": stages]
        case "UpdateSecretVersionStage":
            let stage = try input.required("VersionStage")
            let moveTo = input.string("MoveToVersionId")
            let removeFrom = input.string("RemoveFromVersionId")
            let holder = secret.versions.first { $0.stages.contains(stage) }?.id
            if let moveTo {
                guard secret.versions.contains(where: { $0.id == moveTo }) else {
                    throw SimError("ResourceNotFoundException", "Secrets Manager can't find the specified secret version.", status: 400)
                }
                if let holder, holder != moveTo, holder != removeFrom {
                    throw SimError(
                        "InvalidParameterException",
                        "The parameter RemoveFromVersionId can't be empty. Staging label \(stage) is currently attached to version \(holder), so you must explicitly reference that version in RemoveFromVersionId.",
                        status: 400)
                }
                Self.move(stage, to: moveTo, in: &secret, creating: nil, now: context.now)
            } else if let removeFrom {
                guard holder == removeFrom else {
                    throw SimError(
                        "InvalidParameterException", "Staging label \(stage) is not attached to version \(removeFrom).", status: 400)
                }
                guard stage != Self.current else {
                    throw SimError(
                        "InvalidParameterException",
                        "You can't remove the staging label AWSCURRENT from a version without moving it to another.", status: 400)
                }
                for i in secret.versions.indices { secret.versions[i].stages.removeAll { $0 == stage } }
            }
            secret.lastChangedAt = context.now
            state.switchover.secrets[index] = secret
            context.mutated = true
            output = ["ARN": secret.arn, "Name": secret.name]
        default:
            throw SimError("InvalidRequestException", "The operation \(operation) is not supported.", status: 400)
        }
        return SimJSON.response(output, requestId: context.requestId)
    }

    /// Puts `stage` on version `id` (created with `string` if new); moving AWSCURRENT hands
    /// AWSPREVIOUS to the version that held it.
    static func move(_ stage: String, to id: String, in secret: inout SimSecret, creating string: String?, now: Date) {
        let holder = secret.versions.first { $0.stages.contains(stage) }?.id
        guard holder != id else { return }
        if let string, !secret.versions.contains(where: { $0.id == id }) {
            secret.versions.append(.init(id: id, string: string, stages: [], createdAt: now))
        }
        for i in secret.versions.indices { secret.versions[i].stages.removeAll { $0 == stage } }
        if let i = secret.versions.firstIndex(where: { $0.id == id }) { secret.versions[i].stages.append(stage) }
        if stage == current, let holder {
            for i in secret.versions.indices { secret.versions[i].stages.removeAll { $0 == previous } }
            if let i = secret.versions.firstIndex(where: { $0.id == holder }) { secret.versions[i].stages.append(previous) }
        }
    }

    /// By name or ARN (a partial ARN without the random suffix is not matched), in the caller's account.
    static func secret(_ reference: String, _ context: SimCallContext, _ state: SwitchoverState) throws(SimError) -> Int {
        guard
            let index = state.secrets.firstIndex(where: {
                $0.account == context.principal.account && ($0.name == reference || $0.arn == reference)
            })
        else {
            throw SimError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", status: 400)
        }
        return index
    }
}
