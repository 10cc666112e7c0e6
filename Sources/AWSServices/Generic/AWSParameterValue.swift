/// An operation's parameters as a runbook writes them: YAML scalars are untyped text, so the
/// service model decides whether `5` is an integer or a string when the call is serialised.
public indirect enum AWSParameterValue: Sendable {
    case null
    case scalar(String)
    case list([AWSParameterValue])
    /// Keys in the order written (botocore serialises in the order it is given).
    case map([(key: String, value: AWSParameterValue)])
}

/// A parameter the model cannot take: the path (`Filters[0].Name`) says where it is.
public struct AWSParameterError: Error, Sendable, CustomStringConvertible {
    /// `Filters[0].Values` style, from the operation's input down to the problem.
    public var path: String
    public var message: String
    /// The names the model has at that place (for a nearest-name hint).
    public var candidates: [String]

    public init(path: String, message: String, candidates: [String] = []) {
        self.path = path
        self.message = message
        self.candidates = candidates
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
