import AWSServices
import Runbook

/// The `outputs:` of `aws.call`/`aws.wait`: name → answer path, parsed at plan time and, for
/// Query/EC2 services (whose answer shapes the catalog holds), checked against the answer's shape.
struct AWSOutputPaths {
    var name: String
    var path: String

    /// The plan's `outputs` member: name → path (a name written twice means its last path).
    static func json(_ paths: [AWSOutputPaths]) -> [String: String] {
        Dictionary(paths.map { ($0.name, $0.path) }, uniquingKeysWith: { _, last in last })
    }

    static func read(
        _ step: StepSpec, model: AWSServiceModel?, operation: String?, reader: inout StepInputReader
    ) -> [AWSOutputPaths] {
        guard let value = reader.value("outputs"), case .mapping(let entries) = value.kind else { return [] }
        var out: [AWSOutputPaths] = []
        for entry in entries {
            guard let text = entry.value.scalar else {
                reader.report(
                    "wrong-type", "output `\(entry.key)` of step `\(step.id)` must be a path such as `Vpcs[0].VpcId`",
                    at: entry.value)
                continue
            }
            if !entry.key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
                reader.report(
                    "bad-value", "`\(entry.key)` cannot name an output", hint: "use letters, digits, `-` and `_`",
                    at: entry.keyLocation)
            }
            if let problem = check(text, model: model, operation: operation) {
                reader.report(
                    "bad-path", "output `\(entry.key)` of step `\(step.id)`: \(problem.message)",
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
            return (
                "`\(text)` is not a path: \(error.message)",
                "write names joined by `.` and list indexes as `[0]`, e.g. `LoadBalancers[0].LoadBalancerArn`"
            )
        }
        if let secret = model?.sensitiveMember(in: path) {
            return (
                "`\(secret)` is a value botocore marks sensitive; outputs are journaled, and secret values never are",
                "output what identifies it instead (a version ID, an ARN), and let the step that needs the value read it itself"
            )
        }
        guard let model, let operation, let output = model.operations[operation]?.output else { return nil }
        var ref: AWSShapeRef = output
        var walked = ""
        for segment in path.segments {
            switch (segment, model.shape(of: ref)) {
            case (.member(let name), .structure(let members)?):
                guard let member = members.first(where: { $0.name == name }) else {
                    let near = Hints.nearest(to: name, in: members.map(\.name))
                    return (
                        "the answer of `\(operation)` has no `\(name)`" + (walked.isEmpty ? "" : " under `\(walked)`"),
                        near.map { "did you mean `\($0)`?" } ?? "members there: \(members.map(\.name).joined(separator: ", "))"
                    )
                }
                ref = member.target
                walked += walked.isEmpty ? name : ".\(name)"
            case (.member(let name), .map(_, let value, _, _, _)?):
                ref = value
                walked += ".\(name)"
            case (.member(let name), _):
                return (
                    "`\(walked)` in the answer of `\(operation)` is not a structure, so it has no `\(name)`",
                    walked.isEmpty ? nil : "is `\(walked)` a list? then write `\(walked)[0].\(name)`"
                )
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
