import Yams

/// What one of libyaml's complaints means for the person who wrote the file: a stable code, a
/// message, a hint and where it is. The runbook loader and cutoverd's config loader both turn
/// it into their own diagnostic type; `quote` is how each quotes keys (`` ` `` or `'`).
public struct YAMLSyntaxProblem: Sendable {
    public var code: String
    public var message: String
    public var hint: String
    public var location: SourceLocation

    public init(_ error: YamlError, file: String, quote: String) {
        func at(_ mark: Mark?) -> SourceLocation { SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1) }
        func malformed(_ problem: String, _ mark: Mark?, _ context: YamlError.Context?) -> YAMLSyntaxProblem {
            var message = "the YAML is not well-formed: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return YAMLSyntaxProblem(
                code: "yaml-syntax", message: message,
                hint: "check the indentation (spaces, never tabs) and that every \(quote)key: value\(quote) has a space after the colon",
                location: at(mark))
        }
        switch error {
        case .scanner(let context, let problem, let mark, _): self = malformed(problem, mark, context)
        case .parser(let context, let problem, let mark, _): self = malformed(problem, mark, context)
        case .composer(let context, let problem, let mark, _): self = malformed(problem, mark, context)
        case .reader(let problem, _, _, _): self = malformed(problem, nil, nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\(quote)\($0)\(quote)" }.joined(separator: ", ")
            self = YAMLSyntaxProblem(
                code: "duplicate-key", message: "the key \(keys) appears more than once in the same mapping",
                hint: "keep one of them; YAML would silently use only the last", location: at(context.mark))
        default: self = malformed("\(error)", nil, nil)
        }
    }

    private init(code: String, message: String, hint: String, location: SourceLocation) {
        self.code = code
        self.message = message
        self.hint = hint
        self.location = location
    }
}
