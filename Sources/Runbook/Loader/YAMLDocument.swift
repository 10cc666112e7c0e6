import Yams

/// A runbook file parsed by libyaml (through Yams' node API) into `RunbookValue`s that keep every
/// node's line and column. YAML syntax errors become one `yaml-syntax` diagnostic at the position
/// libyaml reports.
struct YAMLDocument {
    var root: RunbookValue?

    init(text: String, file: String) throws(RunbookDiagnostics) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw RunbookDiagnostics([Self.diagnostic(for: error, file: file)])
        } catch {
            throw RunbookDiagnostics([
                RunbookDiagnostic(
                    code: "yaml-syntax", message: "cannot read the YAML (\(error)) in \(file)",
                    location: SourceLocation(file: file, line: 1, column: 1))
            ])
        }
        root = node.map { Self.convert($0, file: file) }
    }

    static func convert(_ node: Node, file: String) -> RunbookValue {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            let isNull =
                scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            return RunbookValue(isNull ? .null : .scalar(scalar.string), at: location)
        case .sequence(let sequence):
            return RunbookValue(.sequence(sequence.map { convert($0, file: file) }), at: location)
        case .mapping(let mapping):
            let entries = mapping.map { pair in
                let key = convert(pair.key, file: file)
                return (key: key.scalar ?? "", keyLocation: key.location, value: convert(pair.value, file: file))
            }
            return RunbookValue(.mapping(entries), at: location)
        case .alias:
            // Yams resolves aliases while composing; an unresolved one carries nothing usable.
            return RunbookValue(.null, at: location)
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> RunbookDiagnostic {
        let hint = "check the indentation (spaces, never tabs) and that every `key: value` has a space after the colon"
        func make(_ problem: String, _ mark: Mark?, _ context: YamlError.Context?) -> RunbookDiagnostic {
            var message = "the YAML is not well-formed: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            message += " in \(file)"
            return RunbookDiagnostic(
                code: "yaml-syntax", message: message, hint: hint,
                location: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1))
        }
        switch error {
        case .scanner(let context, let problem, let mark, _): return make(problem, mark, context)
        case .parser(let context, let problem, let mark, _): return make(problem, mark, context)
        case .composer(let context, let problem, let mark, _): return make(problem, mark, context)
        case .reader(let problem, _, _, _): return make(problem, nil, nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return RunbookDiagnostic(
                code: "duplicate-key",
                message: "the key \(keys) appears more than once in the same mapping in \(file)",
                hint: "keep one of them; YAML would silently use only the last",
                location: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        default: return make("\(error)", nil, nil)
        }
    }
}
