import AWSServices
import Runbook

/// `uses: aws.wait`: repeats a read until a value in its answer matches — SSM Automation's
/// `aws:waitForAwsResourceProperty`. Read-only.
///
/// ```yaml
/// - id: lb-active
///   uses: aws.wait
///   with:
///     account: product
///     service: elbv2
///     operation: DescribeLoadBalancers
///     parameters: { Names: [admin-console] }
///     path: LoadBalancers[0].State.Code
///     equals: active            # or `in: [active, active_impaired]`
///     every: 15s                # default 15s
///     timeout: 10m              # default 10m, counted by the engine's clock from the first read
/// ```
///
/// Each attempt is one call; a value that does not match yet (or a path not in the answer yet)
/// is a retryable `ValueNotMatched`, so the engine reads again every `every` until `timeout`
/// has passed since the first read, then the step fails with the last value it saw.
public struct AWSWaitDefinition: StepDefinition {
    public static let type = "aws.wait"
    public init() {}

    /// Operation names that read: a wait repeats its call, so it must never change anything.
    static let readPrefixes = ["Describe", "Get", "List", "Query", "Scan", "Search", "Lookup", "BatchGet", "Check", "Test"]

    public var type: String { Self.type }
    public var summary: String { "Repeat a read of a Query, EC2 or JSON-protocol AWS service until a value in its answer matches." }
    public var inputs: [StepInput] {
        [
            StepInput("account", .account, required: true, summary: "The runbook account the call is made in."),
            StepInput("service", .string, required: true, summary: "The service, as botocore names it."),
            StepInput("operation", .string, required: true, summary: "A read operation (Describe…, Get…, List…)."),
            StepInput("parameters", .mapping, summary: "The operation's parameters as YAML."),
            StepInput("path", .string, required: true, summary: "The value to watch, e.g. `LoadBalancers[0].State.Code`."),
            StepInput("equals", .string, summary: "Done when the value is this."),
            StepInput("in", .list, summary: "Done when the value is one of these."),
            StepInput("every", .duration, summary: "Time between reads (default 15s)."),
            StepInput("timeout", .duration, summary: "Give up this long after the first read (default 10m)."),
            StepInput("outputs", .mapping, summary: "Output name → path in the matching answer."),
        ]
    }

    public func outputs(of step: StepSpec) -> [StepOutput] {
        var outputs = [StepOutput("value", from: .primitive(nil, key: "value"), summary: "the value that matched")]
        if case .mapping(let entries)? = step.with?["outputs"]?.kind {
            outputs += entries.map { StepOutput($0.key, from: .primitive(nil, key: $0.key), summary: $0.value.scalar ?? "") }
        }
        return outputs
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let account = reader.account("account", required: true)
        let every = reader.duration("every") ?? .seconds(15)
        let timeout = reader.duration("timeout") ?? .seconds(600)
        let call = step.with.flatMap { AWSOperationSpec.read($0, what: "step `\(step.id)`", reader: &reader) }
        if let call, !Self.readPrefixes.contains(where: { call.spec.operation.hasPrefix($0) }),
            let value = reader.value("operation")
        {
            reader.report(
                "not-a-read", "step `\(step.id)` (aws.wait) repeats `\(call.spec.operation)`, which is not a read",
                hint: "aws.wait repeats its call; use a Describe…, Get… or List… operation (make changes with aws.call)",
                at: value)
        }
        let pathText = reader.string("path", required: true)
        if let pathText, let value = reader.value("path"),
            let problem = AWSOutputPaths.check(pathText, model: call?.model, operation: call?.spec.operation)
        {
            reader.report("bad-path", "`with.path` of step `\(step.id)`: \(problem.message)", hint: problem.hint, at: value)
        }
        let outputs = AWSOutputPaths.read(step, model: call?.model, operation: call?.spec.operation, reader: &reader)
        var expected: [String] = []
        if let equals = reader.string("equals") { expected.append(equals) }
        if let list = reader.value("in") {
            if case .sequence(let items) = list.kind { expected += items.compactMap(\.scalar) }
        }
        if expected.isEmpty || (reader.value("equals") != nil && reader.value("in") != nil) {
            reader.report(
                expected.isEmpty ? "missing-key" : "bad-value",
                "step `\(step.id)` (aws.wait) needs exactly one of `equals:` and `in:`",
                hint: "write `equals: available` or `in: [available, backing-up]`", at: step.with?.location ?? step.location)
        }
        try reader.finish()
        guard let call, let account, let pathText else { return [] }
        let inputs = AWSWaitInputs(
            account: account, service: call.spec.service, operation: call.spec.operation, parameters: call.spec.parametersJSON,
            path: pathText, expected: expected, outputs: AWSOutputPaths.json(outputs))
        let condition = expected.count == 1 ? "is \(expected[0])" : "is one of \(expected.joined(separator: ", "))"
        return [
            PrimitiveTemplate(
                type: Self.type, title: "Wait until \(call.spec.service) \(call.spec.operation) \(pathText) \(condition)",
                account: account, effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: every,
                inputs: try StepValues.encode(inputs, of: step), retry: RetryPolicy(backoff: .fixed(interval: every), maxElapsed: timeout))
        ]
    }
}
