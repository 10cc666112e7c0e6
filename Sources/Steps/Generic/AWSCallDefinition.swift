import AWSServices
import Runbook

/// `uses: aws.call`: any operation of a catalog service (Query, EC2 or JSON protocol), signed by
/// Cutover's own client in a runbook account — what SSM Automation's `aws:executeAwsApi` does,
/// with what it lacks: the call declares how it is undone, or that it cannot be.
///
/// ```yaml
/// - id: tag-vpc
///   uses: aws.call
///   with:
///     account: product
///     service: ec2
///     operation: CreateTags
///     parameters: { Resources: [vpc-0abc], Tags: [{ Key: cutover, Value: done }] }
///     undo:
///       operation: DeleteTags
///       parameters: { Resources: [vpc-0abc], Tags: [{ Key: cutover }] }
/// ```
///
/// Exactly one of `readOnly: true` (nothing to undo), `undo:` (another operation, whose
/// parameters may read this call's outputs as `${steps.THIS-ID.outputs.NAME}`) or
/// `irreversible: true` (gated by an approval, a rollback barrier). `outputs:` names values
/// picked from the answer by `AWSAnswerPath`s. Wrong names are plan-time errors.
public struct AWSCallDefinition: StepDefinition {
    public static let type = "aws.call"
    public init() {}

    public var type: String { Self.type }
    public var summary: String {
        "Call any operation of a Query, EC2 or JSON-protocol AWS service; declares readOnly, an undo call, or irreversible."
    }
    public var inputs: [StepInput] {
        [
            StepInput("account", .account, required: true, summary: "The runbook account the call is made in."),
            StepInput("service", .string, required: true, summary: "The service, as botocore names it (ec2, elbv2, ecs, dynamodb, …)."),
            StepInput("operation", .string, required: true, summary: "The API operation, e.g. DescribeVpcs."),
            StepInput("parameters", .mapping, summary: "The operation's parameters as YAML, named as in the API reference."),
            StepInput("outputs", .mapping, summary: "Output name → path in the answer, e.g. `arn: LoadBalancers[0].LoadBalancerArn`."),
            StepInput("readOnly", .bool, summary: "The call changes nothing (Describe…, Get…, List…)."),
            StepInput("undo", .mapping, summary: "The call that undoes this one: { operation, service?, parameters?, ignoreErrors? }."),
            StepInput("irreversible", .bool, summary: "The call cannot be undone: it is gated by an approval."),
            StepInput("idempotent", .bool, summary: "Repeating the call is harmless: after a crash it is simply made again."),
            StepInput("resource", .string, summary: "What the call acts on, for the audit log and errors."),
        ]
    }

    /// Whatever the runbook names under `outputs:`.
    public func outputs(of step: StepSpec) -> [StepOutput] {
        guard case .mapping(let entries)? = step.with?["outputs"]?.kind else { return [] }
        return entries.map { StepOutput($0.key, from: .primitive(nil, key: $0.key), summary: $0.value.scalar ?? "") }
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let account = reader.account("account", required: true)
        let readOnly = reader.bool("readOnly") ?? false
        let irreversible = reader.bool("irreversible") ?? false
        let idempotent = reader.bool("idempotent") ?? false
        let resource = reader.string("resource")
        let call = step.with.flatMap { AWSOperationSpec.read($0, what: "step `\(step.id)`", reader: &reader) }
        let outputs = AWSOutputPaths.read(step, model: call?.model, operation: call?.spec.operation, reader: &reader)

        let undoValue = reader.value("undo").flatMap { $0.kind == .null ? nil : $0 }
        let declared = [readOnly ? "readOnly: true" : nil, undoValue != nil ? "undo:" : nil, irreversible ? "irreversible: true" : nil]
            .compactMap { $0 }
        if declared.count != 1 {
            reader.report(
                declared.isEmpty ? "missing-key" : "bad-value",
                declared.isEmpty
                    ? "step `\(step.id)` (aws.call) must say how it is undone"
                    : "step `\(step.id)` (aws.call) declares \(declared.joined(separator: " and ")); declare exactly one",
                hint: "write `readOnly: true` (it changes nothing), `undo: { operation: …, parameters: … }` (the call that "
                    + "reverses it) or `irreversible: true` (it is gated by an approval)",
                at: step.with?.location ?? step.location)
        }
        var undo: AWSUndoCall?
        if let undoValue, let call {
            undo = Self.readUndo(undoValue, step: step, defaultService: call.spec.service, outputs: outputs.map(\.name), reader: &reader)
        }
        try reader.finish()
        guard let call, let account else { return [] }

        let inputs = AWSCallInputs(
            account: account, service: call.spec.service, operation: call.spec.operation, parameters: call.spec.parametersJSON,
            outputs: AWSOutputPaths.json(outputs), undo: undo, idempotent: idempotent || readOnly, resource: resource)
        let reversibility: Reversibility = readOnly ? .nothingToUndo : (irreversible ? .irreversible : .reversible)
        return [
            PrimitiveTemplate(
                type: Self.type,
                title: "\(call.spec.service) \(call.spec.operation)" + (resource.map { " on \($0)" } ?? "")
                    + (irreversible ? " (irreversible)" : ""),
                account: account, effect: readOnly ? .readOnly : .mutating, reversibility: reversibility,
                estimatedDuration: .seconds(2), inputs: try StepValues.encode(inputs, of: step))
        ]
    }

    /// `undo: { operation, service?, parameters?, ignoreErrors? }`. `${steps.THIS.outputs.NAME}`
    /// (this step's own outputs) becomes `${self.outputs.NAME}`, resolved by the step at undo time
    /// from its journaled outputs — the planner's wiring is for other steps' outputs.
    static func readUndo(
        _ value: RunbookValue, step: StepSpec, defaultService: String, outputs: [String], reader: inout StepInputReader
    ) -> AWSUndoCall? {
        guard case .mapping(let entries) = value.kind else {
            reader.report(
                "wrong-type", "`with.undo` of step `\(step.id)` must be a mapping",
                hint: "write `undo: { operation: DeleteTags, parameters: { … } }`", at: value)
            return nil
        }
        let allowed = ["service", "operation", "parameters", "ignoreErrors"]
        for entry in entries where !allowed.contains(entry.key) {
            reader.report(
                "unknown-key", "`\(entry.key)` is not a key of `with.undo` (step `\(step.id)`)",
                hint: Hints.nearest(to: entry.key, in: allowed).map { "did you mean `\($0)`?" }
                    ?? "keys: \(allowed.joined(separator: ", "))",
                at: entry.keyLocation)
        }
        guard
            let undo = AWSOperationSpec.read(value, defaultService: defaultService, what: "the undo of step `\(step.id)`", reader: &reader)
        else { return nil }
        var ignore: [String] = []
        if let codes = value["ignoreErrors"] {
            guard case .sequence(let items) = codes.kind else {
                reader.report(
                    "wrong-type", "`with.undo.ignoreErrors` of step `\(step.id)` must be a list of AWS error codes",
                    hint: "e.g. `ignoreErrors: [InvalidGroup.NotFound]`", at: codes)
                return nil
            }
            ignore = items.compactMap(\.scalar)
        }
        let selfPrefix = "${steps.\(step.id).outputs."
        var problems: [(String, SourceLocation)] = []
        func rewrite(_ value: RunbookValue) -> JSONValue {
            switch value.kind {
            case .scalar(var text):
                var search = Substring(text)
                while let open = search.range(of: selfPrefix), let close = search[open.upperBound...].firstIndex(of: "}") {
                    let name = String(search[open.upperBound..<close])
                    if !outputs.contains(name) { problems.append((name, value.location)) }
                    search = search[search.index(after: close)...]
                }
                text = text.replacingOccurrences(of: selfPrefix, with: "${self.outputs.")
                return .string(text)
            case .sequence(let items): return .array(items.map(rewrite))
            case .mapping(let entries): return .object(entries.map { ($0.key, rewrite($0.value)) })
            case .null: return .null
            }
        }
        let parameters = undo.spec.parameters.map(rewrite) ?? .object([])
        for (name, location) in problems {
            reader.report(
                "unknown-output", "the undo of step `\(step.id)` reads its output `\(name)`, which `outputs:` does not name",
                hint: outputs.isEmpty
                    ? "add `outputs: { \(name): <path in the answer> }`"
                    : (Hints.nearest(to: name, in: outputs).map { "did you mean `\($0)`?" }
                        ?? "its outputs: \(outputs.joined(separator: ", "))"),
                at: location)
        }
        return AWSUndoCall(
            service: undo.spec.service, operation: undo.spec.operation, parameters: OrderedJSON(parameters), ignoreErrors: ignore)
    }
}
