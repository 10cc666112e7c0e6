import Foundation

/// Resolving `--param name=value` against the runbook's `parameters:`.
extension RunbookPlanner {
    /// Given values override defaults; every parameter ends with a value of its type or a problem.
    func resolveParameters(
        _ runbook: Runbook, given: [String: String], sink: inout DiagnosticSink
    ) -> [String: String] {
        var values: [String: String] = [:]
        let top = SourceLocation(file: runbook.file, line: 1, column: 1)
        let declared = runbook.parameters.map(\.name)
        for name in given.keys.sorted() where !declared.contains(name) {
            sink.report(
                "unknown-parameter", "`--param \(name)=…` is given, but the runbook declares no parameter `\(name)`",
                hint: declared.isEmpty
                    ? "this runbook takes no parameters"
                    : Hints.didYouMean(name, among: declared, listing: "declared parameters"),
                at: top)
        }
        for parameter in runbook.parameters {
            let location = parameter.location ?? top
            guard let value = given[parameter.name] ?? parameter.defaultValue else {
                sink.report(
                    "missing-parameter", "parameter `\(parameter.name)` has no default and was not given",
                    hint: "start with `--param \(parameter.name)=…`"
                        + (parameter.description.map { " (\($0))" } ?? ""),
                    at: location)
                continue
            }
            if let problem = ParameterValue.problem(value, kind: parameter.kind) {
                let origin =
                    given[parameter.name] != nil ? "`--param \(parameter.name)=\(value)`" : "the default `\(value)`"
                sink.report(
                    problem.code,
                    "parameter `\(parameter.name)` is a \(parameter.kind.rawValue), but \(origin) is \(problem.message)",
                    hint: problem.hint, at: location)
                continue
            }
            values[parameter.name] = value
        }
        return values
    }

    /// The window with each `${params.NAME}` bound replaced by its `timestamp` parameter's value.
    func resolveWindow(_ runbook: Runbook, values: [String: String], sink: inout DiagnosticSink) -> WindowSpec? {
        guard let window = runbook.window else { return nil }
        let top = SourceLocation(file: runbook.file, line: 1, column: 1)
        func resolve(_ bound: RunbookWindow.Bound, _ what: String, at location: SourceLocation?) -> Date? {
            switch bound {
            case .at(let date): return date
            case .parameter(let name):
                let location = location ?? top
                guard let parameter = runbook.parameters.first(where: { $0.name == name }) else {
                    sink.report(
                        "unknown-parameter", "\(what) refers to `${params.\(name)}`, but the runbook declares no parameter `\(name)`",
                        hint: "declare it under `parameters:` as `\(name): { type: timestamp }`", at: location)
                    return nil
                }
                guard parameter.kind == .timestamp else {
                    sink.report(
                        "wrong-type", "\(what) refers to parameter `\(name)`, which is a \(parameter.kind.rawValue), not a timestamp",
                        hint: "declare `\(name)` with `type: timestamp`", at: parameter.location ?? location)
                    return nil
                }
                // resolveParameters has reported a missing or malformed value already.
                return values[name].flatMap(RunbookTimestamp.parse)
            }
        }
        // Both bounds first, so a problem in each is reported at once.
        let start = resolve(window.start, "`window.start`", at: window.startLocation)
        let end = resolve(window.end, "`window.end`", at: window.endLocation)
        guard let start, let end, WindowSpec.isOrdered(start, end, sink: &sink, at: window.endLocation ?? top)
        else { return nil }
        return WindowSpec(start: start, end: end, onOverrun: window.onOverrun)
    }
}
