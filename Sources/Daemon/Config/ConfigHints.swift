import Runbook

/// Suggestions for typos in the configuration: the same rule as the runbook loader's
/// (`Hints.nearest`), with the configuration's own quoting for lists of allowed values.
enum ConfigHints {
    static func nearest(to word: String, in candidates: some Sequence<String>) -> String? {
        Hints.nearest(to: word, in: candidates)
    }

    /// `'a', 'b' or 'c'`.
    static func list(_ words: [String]) -> String {
        let quoted = words.map { "'\($0)'" }
        switch quoted.count {
        case 0: return "(none)"
        case 1: return quoted[0]
        default: return quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
        }
    }

    /// `did you mean 'x'?`, or what is allowed.
    static func didYouMean(_ word: String, among candidates: [String], listing what: String) -> String {
        if let near = nearest(to: word, in: candidates) { return "did you mean '\(near)'?" }
        return "\(what): \(list(candidates))"
    }
}
