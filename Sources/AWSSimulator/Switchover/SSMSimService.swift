import Foundation

/// The simulated Systems Manager Parameter Store (JSON 1.1, `X-Amz-Target: AmazonSSM.<Op>`), as
/// `ssm.put-parameter` and its undo use it: GetParameter, PutParameter (a new version each write;
/// an existing name needs `Overwrite`, else `ParameterAlreadyExists`; a new one needs `Type`),
/// GetParameterHistory (every version, oldest first, pages of ≤ 50) and DeleteParameter. Shapes
/// and error codes from botocore `ssm/2014-11-06/service-2.json`.
public struct SSMSimService: SimService {
    public init() {}

    public var signingName: String { "ssm" }

    static let operations: Set<String> = ["GetParameter", "PutParameter", "GetParameterHistory", "DeleteParameter"]
    static let types: Set<String> = ["String", "StringList", "SecureString"]

    public func operation(of request: SimRequest) -> String? { SimJSON.operation(request, prefix: "AmazonSSM", Self.operations) }

    public func render(_ error: SimError, requestId: String) -> SimResponse { SimJSON.error(error, requestId: requestId) }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let input = try SimJSONInput(request.body)
        let name = try input.required("Name")
        context.resource = name
        let account = context.principal.account
        let index = state.switchover.parameters.firstIndex { $0.account == account && $0.region == context.region && $0.name == name }
        let output: [String: Any]
        switch operation {
        case "GetParameter":
            guard let index, let latest = state.switchover.parameters[index].versions.last else { throw Self.notFound(name) }
            output = ["Parameter": Self.render(state.switchover.parameters[index], latest, history: false)]
        case "GetParameterHistory":
            guard let index else { throw Self.notFound(name) }
            let parameter = state.switchover.parameters[index]
            let limit = try input.int("MaxResults") ?? 50
            guard (1...50).contains(limit) else {
                throw SimError(
                    "ValidationException",
                    "1 validation error detected: Value '\(limit)' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
                    status: 400)
            }
            var start = 0
            if let token = input.string("NextToken") {
                guard let offset = Int(token), offset >= 0, offset <= parameter.versions.count else {
                    throw SimError("InvalidNextToken", "The specified token is not valid.", status: 400)
                }
                start = offset
            }
            let end = min(parameter.versions.count, start + limit)
            var page: [String: Any] = ["Parameters": parameter.versions[start..<end].map { Self.render(parameter, $0, history: true) }]
            if end < parameter.versions.count { page["NextToken"] = String(end) }
            output = page
        case "PutParameter":
            let value = try input.required("Value")
            let type = input.string("Type")
            if let type, !Self.types.contains(type) {
                throw SimError(
                    "ValidationException",
                    "1 validation error detected: Value '\(type)' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]",
                    status: 400)
            }
            if let index {
                guard input.bool("Overwrite") == true else {
                    throw SimError(
                        "ParameterAlreadyExists",
                        "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
                        status: 400)
                }
                var parameter = state.switchover.parameters[index]
                let version = (parameter.versions.last?.version ?? 0) + 1
                if let type { parameter.type = type }
                parameter.versions.append(.init(version: version, value: value, modifiedAt: context.now, keyId: input.string("KeyId")))
                state.switchover.parameters[index] = parameter
                output = ["Version": version, "Tier": "Standard"]
            } else {
                guard let type else {
                    throw SimError("ValidationException", "A parameter type is required when you create a parameter.", status: 400)
                }
                state.switchover.parameters.append(
                    SimParameter(
                        account: account, region: context.region, name: name, type: type,
                        versions: [.init(version: 1, value: value, modifiedAt: context.now, keyId: input.string("KeyId"))]))
                output = ["Version": 1, "Tier": "Standard"]
            }
            context.mutated = true
        case "DeleteParameter":
            guard let index else { throw Self.notFound(name) }
            state.switchover.parameters.remove(at: index)
            context.mutated = true
            output = [:]
        default:
            throw SimError("ValidationException", "The operation \(operation) is not supported.", status: 400)
        }
        return SimJSON.response(output, requestId: context.requestId)
    }

    static func notFound(_ name: String) -> SimError { SimError("ParameterNotFound", "Parameter \(name) not found.", status: 400) }

    static func render(_ parameter: SimParameter, _ version: SimParameter.Version, history: Bool) -> [String: Any] {
        var item: [String: Any] = [
            "Name": parameter.name, "Type": parameter.type, "Value": version.value, "Version": version.version,
            "LastModifiedDate": SimJSON.time(version.modifiedAt), "DataType": "text",
        ]
        if history {
            item["Labels"] = [String]()
            item["Tier"] = "Standard"
            item["KeyId"] = version.keyId ?? (parameter.type == "SecureString" ? "alias/aws/ssm" : nil)
        } else {
            item["ARN"] = parameter.arn
        }
        return item
    }
}
