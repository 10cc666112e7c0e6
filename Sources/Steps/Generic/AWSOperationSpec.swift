import AWSServices
import Runbook

/// The call an `aws.call` or `aws.wait` step (or an `aws.call`'s `undo:`) names — service,
/// operation, parameters — checked at plan time against the catalog generated from botocore's
/// models (`AWSModelCatalog`): an unknown service, operation or parameter name, a parameter in
/// its wire form (`Filter.1.Name`), or a value of the wrong type is reported at its
/// `file:line:column` with the nearest name as a hint.
struct AWSOperationSpec {
    var service: String
    var operation: String
    var parameters: RunbookValue?

    /// The primitive's `parameters`, in the order the runbook wrote them.
    var parametersJSON: OrderedJSON { OrderedJSON(parameters.map(Self.json) ?? .object([])) }

    /// A runbook value as the primitive's JSON (scalars stay text: the model types them at run time).
    static func json(_ value: RunbookValue) -> JSONValue {
        switch value.kind {
        case .null: return .null
        case .scalar(let text): return .string(text)
        case .sequence(let items): return .array(items.map(json))
        case .mapping(let entries): return .object(entries.map { ($0.key, json($0.value)) })
        }
    }

    /// Reads `service`, `operation` and `parameters` from `mapping` (the step's `with:` or its
    /// `undo:`), reporting every problem into `reader`. Returns nil when the call cannot be made.
    static func read(
        _ mapping: RunbookValue, defaultService: String? = nil, what: String, reader: inout StepInputReader,
        catalog: AWSModelCatalog = .shared
    ) -> (spec: AWSOperationSpec, model: AWSServiceModel)? {
        let serviceValue = mapping["service"]
        let operationValue = mapping["operation"]
        guard let service = serviceValue?.scalar ?? defaultService else {
            reader.report("missing-key", "\(what) needs `service:`", hint: "e.g. `service: ec2`", at: mapping.location)
            return nil
        }
        guard let model = catalog.service(service) else {
            let near = Hints.nearest(to: service, in: catalog.serviceNames)
            reader.report(
                "unknown-service", "\(what) names service `\(service)`, which Cutover's AWS catalog does not have",
                hint: (near.map { "did you mean `\($0)`? " } ?? "") + "services: \(catalog.serviceNames.joined(separator: ", "))",
                at: serviceValue?.location ?? mapping.location)
            return nil
        }
        guard let operation = operationValue?.scalar, !operation.isEmpty else {
            reader.report("missing-key", "\(what) needs `operation:`", hint: "e.g. `operation: DescribeVpcs`", at: mapping.location)
            return nil
        }
        guard let op = model.operations[operation] else {
            let near = Hints.nearest(to: operation, in: model.operationNames)
            reader.report(
                "unknown-operation", "`\(service)` has no operation `\(operation)`",
                hint: near.map { "did you mean `\($0)`?" }
                    ?? "operation names are as in the API reference, e.g. `\(model.operationNames.first ?? "")`",
                at: operationValue?.location ?? mapping.location)
            return nil
        }
        let parameters = mapping["parameters"]
        if let parameters, parameters.kind != .null {
            if let input = op.input {
                ParameterCheck(model: model, operation: operation).run(parameters, ref: input, path: "", into: &reader)
            } else {
                reader.report(
                    "unknown-key", "`\(service)` `\(operation)` takes no parameters", hint: "remove `parameters:`",
                    at: parameters.location)
            }
        }
        return (AWSOperationSpec(service: service, operation: operation, parameters: parameters), model)
    }
}

/// Walks a runbook's `parameters:` along the operation's input shape.
private struct ParameterCheck {
    let model: AWSServiceModel
    let operation: String

    func run(_ value: RunbookValue, ref: AWSShapeRef, path: String, into reader: inout StepInputReader) {
        if let text = value.scalar, text.contains("${") { return }  // checked once resolved
        if value.kind == .null { return }
        let what = path.isEmpty ? "the parameters of `\(operation)`" : "parameter `\(path)` of `\(operation)`"
        switch ref {
        case .scalar(let kind):
            guard let text = value.scalar else {
                reader.report("wrong-type", "\(what) must be \(kind.label), not a list or mapping", at: value)
                return
            }
            do {
                _ = try AWSQuerySerializer.scalarText(text, kind: kind, path: path)
            } catch {
                reader.report("wrong-type", "\(what) \(error.message)", at: value)
            }
        case .shape:
            switch model.shape(of: ref) {
            case .structure(let members)?:
                guard case .mapping(let entries) = value.kind else {
                    reader.report("wrong-type", "\(what) must be a mapping", hint: "members: \(Self.names(members))", at: value)
                    return
                }
                for entry in entries {
                    guard let member = members.first(where: { $0.name == entry.key }) else {
                        reader.report(
                            "unknown-parameter",
                            "`\(entry.key)` is not a parameter of `\(model.name)` `\(operation)`"
                                + (path.isEmpty ? "" : " at `\(path)`"),
                            hint: Self.hint(entry.key, members: members), at: entry.keyLocation)
                        continue
                    }
                    run(entry.value, ref: member.target, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", into: &reader)
                }
            case .list(let item, _, _)?:
                guard case .sequence(let items) = value.kind else {
                    reader.report("wrong-type", "\(what) must be a list", hint: "write `[a, b]` or one `- item` a line", at: value)
                    return
                }
                for (i, element) in items.enumerated() { run(element, ref: item, path: "\(path)[\(i)]", into: &reader) }
            case .map(_, let valueRef, _, _, _)?:
                guard case .mapping(let entries) = value.kind else {
                    reader.report("wrong-type", "\(what) must be a mapping", hint: "write `{ key: value }`", at: value)
                    return
                }
                for entry in entries { run(entry.value, ref: valueRef, path: "\(path).\(entry.key)", into: &reader) }
            case .document?, nil:
                return
            }
        }
    }

    /// Nearest member name, or the wire form's nested spelling (`Filter.1.Name` → `Filters: [{ Name: … }]`).
    static func hint(_ key: String, members: [AWSMember]) -> String {
        let parts = key.split(separator: ".").map(String.init)
        if parts.count > 1 {
            let head = parts[0]
            let member =
                members.first { $0.name == head || $0.queryName == head || $0.locationName == head }
                ?? Hints.nearest(to: head, in: members.map(\.name)).flatMap { near in members.first { $0.name == near } }
            let name = member?.name ?? head
            return "that is the protocol's wire form; write nested YAML and Cutover serialises it: `\(name): [ … ]` or `\(name): { … }`"
        }
        if let near = Hints.nearest(to: key, in: members.map(\.name)) { return "did you mean `\(near)`?" }
        return "parameters here: \(names(members))"
    }

    static func names(_ members: [AWSMember]) -> String {
        let names = members.map(\.name)
        return names.count > 12 ? names.prefix(12).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
    }
}

extension AWSOperationSpec {
    /// The primitive's stored JSON back as parameters for the serialiser (after the engine has
    /// resolved `${steps…}`).
    static func parameters(_ value: JSONValue?) -> AWSParameterValue {
        switch value {
        case nil, .null?: return .null
        case .string(let text)?: return .scalar(text)
        case .number(let number)?: return .scalar(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        case .bool(let flag)?: return .scalar(flag ? "true" : "false")
        case .array(let items)?: return .list(items.map { parameters($0) })
        case .object(let entries)?: return .map(entries.map { (key: $0.0, value: parameters($0.1)) })
        }
    }
}
