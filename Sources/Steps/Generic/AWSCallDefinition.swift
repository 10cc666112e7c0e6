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
        var undo: JSONValue?
        if let undoValue, let call {
            undo = Self.readUndo(undoValue, step: step, defaultService: call.spec.service, outputs: outputs.map(\.name), reader: &reader)
        }
        try reader.finish()
        guard let call, let account else { return [] }

        var inputs: [(String, JSONValue)] = [("account", .string(account))]
        if case .object(let members) = call.spec.json { inputs += members }
        inputs.append(("outputs", .object(outputs.map { ($0.name, .string($0.path)) })))
        if let undo { inputs.append(("undo", undo)) }
        inputs.append(("idempotent", .bool(idempotent || readOnly)))
        if let resource { inputs.append(("resource", .string(resource))) }
        let reversibility: Reversibility = readOnly ? .nothingToUndo : (irreversible ? .irreversible : .reversible)
        return [
            PrimitiveTemplate(
                type: Self.type, title: "\(call.spec.service) \(call.spec.operation)" + (resource.map { " on \($0)" } ?? "")
                    + (irreversible ? " (irreversible)" : ""),
                account: account, effect: readOnly ? .readOnly : .mutating, reversibility: reversibility,
                estimatedDuration: .seconds(2), inputs: .object(inputs))
        ]
    }

    /// `undo: { operation, service?, parameters?, ignoreErrors? }`. `${steps.THIS.outputs.NAME}`
    /// (this step's own outputs) becomes `${self.outputs.NAME}`, resolved by the step at undo time
    /// from its journaled outputs — the planner's wiring is for other steps' outputs.
    static func readUndo(
        _ value: RunbookValue, step: StepSpec, defaultService: String, outputs: [String], reader: inout StepInputReader
    ) -> JSONValue? {
        guard case .mapping(let entries) = value.kind else {
            reader.report("wrong-type", "`with.undo` of step `\(step.id)` must be a mapping",
                          hint: "write `undo: { operation: DeleteTags, parameters: { … } }`", at: value)
            return nil
        }
        let allowed = ["service", "operation", "parameters", "ignoreErrors"]
        for entry in entries where !allowed.contains(entry.key) {
            reader.report("unknown-key", "`\(entry.key)` is not a key of `with.undo` (step `\(step.id)`)",
                          hint: Hints.nearest(to: entry.key, in: allowed).map { "did you mean `\($0)`?" } ?? "keys: \(allowed.joined(separator: ", "))",
                          at: entry.keyLocation)
        }
        guard let undo = AWSOperationSpec.read(value, defaultService: defaultService, what: "the undo of step `\(step.id)`", reader: &reader)
        else { return nil }
        var ignore: [JSONValue] = []
        if let codes = value["ignoreErrors"] {
            guard case .sequence(let items) = codes.kind else {
                reader.report("wrong-type", "`with.undo.ignoreErrors` of step `\(step.id)` must be a list of AWS error codes",
                              hint: "e.g. `ignoreErrors: [InvalidGroup.NotFound]`", at: codes)
                return nil
            }
            ignore = items.compactMap { $0.scalar.map(JSONValue.string) }
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
                hint: outputs.isEmpty ? "add `outputs: { \(name): <path in the answer> }`"
                    : (Hints.nearest(to: name, in: outputs).map { "did you mean `\($0)`?" } ?? "its outputs: \(outputs.joined(separator: ", "))"),
                at: location)
        }
        return .object([
            ("service", .string(undo.spec.service)), ("operation", .string(undo.spec.operation)), ("parameters", parameters),
            ("ignoreErrors", .array(ignore)),
        ])
    }
}

/// The `outputs:` of `aws.call`/`aws.wait`: name → answer path, parsed at plan time and, for
/// Query/EC2 services (whose answer shapes the catalog holds), checked against the answer's shape.
struct AWSOutputPaths {
    var name: String
    var path: String

    static func read(
        _ step: StepSpec, model: AWSServiceModel?, operation: String?, reader: inout StepInputReader
    ) -> [AWSOutputPaths] {
        guard let value = reader.value("outputs"), case .mapping(let entries) = value.kind else { return [] }
        var out: [AWSOutputPaths] = []
        for entry in entries {
            guard let text = entry.value.scalar else {
                reader.report("wrong-type", "output `\(entry.key)` of step `\(step.id)` must be a path such as `Vpcs[0].VpcId`",
                              at: entry.value)
                continue
            }
            if !entry.key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
                reader.report("bad-value", "`\(entry.key)` cannot name an output", hint: "use letters, digits, `-` and `_`",
                              at: entry.keyLocation)
            }
            if let problem = check(text, model: model, operation: operation) {
                reader.report("bad-path", "output `\(entry.key)` of step `\(step.id)`: \(problem.message)",
                              hint: problem.hint, at: entry.value)
            }
            out.append(AWSOutputPaths(name: entry.key, path: text))
        }
        return out
    }

    /// A path problem: syntax always; names and lists when the catalog has the answer's shape.
    static func check(_ text: String, model: AWSServiceModel?, operation: String?) -> (message: String, hint: String?)? {
        let path: AWSAnswerPath
        do {
            path = try AWSAnswerPath(text)
        } catch {
            return ("`\(text)` is not a path: \(error.message)", "write names joined by `.` and list indexes as `[0]`, e.g. `LoadBalancers[0].LoadBalancerArn`")
        }
        if let secret = model?.sensitiveMember(in: path) {
            return ("`\(secret)` is a value botocore marks sensitive; outputs are journaled, and secret values never are",
                    "output what identifies it instead (a version ID, an ARN), and let the step that needs the value read it itself")
        }
        guard let model, let operation, let output = model.operations[operation]?.output else { return nil }
        var ref: AWSShapeRef = output
        var walked = ""
        for segment in path.segments {
            switch (segment, model.shape(of: ref)) {
            case (.member(let name), .structure(let members)?):
                guard let member = members.first(where: { $0.name == name }) else {
                    let near = Hints.nearest(to: name, in: members.map(\.name))
                    return ("the answer of `\(operation)` has no `\(name)`" + (walked.isEmpty ? "" : " under `\(walked)`"),
                            near.map { "did you mean `\($0)`?" } ?? "members there: \(members.map(\.name).joined(separator: ", "))")
                }
                ref = member.target
                walked += walked.isEmpty ? name : ".\(name)"
            case (.member(let name), .map(_, let value, _, _, _)?):
                ref = value
                walked += ".\(name)"
            case (.member(let name), _):
                return ("`\(walked)` in the answer of `\(operation)` is not a structure, so it has no `\(name)`",
                        walked.isEmpty ? nil : "is `\(walked)` a list? then write `\(walked)[0].\(name)`")
            case (.index(let index), .list(let item, _, _)?):
                ref = item
                walked += "[\(index)]"
            case (.index, _):
                return ("`\(walked)` in the answer of `\(operation)` is not a list", "remove the `[…]`")
            }
        }
        return nil
    }
}
