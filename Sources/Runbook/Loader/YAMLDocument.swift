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
        let problem = YAMLSyntaxProblem(error, file: file, quote: "`")
        return RunbookDiagnostic(
            code: problem.code, message: problem.message + " in \(file)", hint: problem.hint,
            location: problem.location)
    }
}
