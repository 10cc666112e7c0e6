/// `${NAME}` expansion in configuration values, limited to the directories systemd hands the
/// service (`LoadCredential=`, `StateDirectory=`, `RuntimeDirectory=`), so that a unit file and the
/// configuration can agree on paths without hard-coding them.
enum ConfigVariables {
    /// The variables a configuration value may use.
    static let allowed = ["CREDENTIALS_DIRECTORY", "STATE_DIRECTORY", "RUNTIME_DIRECTORY"]

    enum Problem: Error, Equatable {
        /// An allowed variable that the environment does not set.
        case unset(String)
        /// `${NAME}` with a name that is not expanded.
        case unknown(String)
        /// `${` without its `}`.
        case unterminated
    }

    /// `text` with every `${NAME}` replaced; the first problem otherwise. A `$` not followed by
    /// `{` stays as written.
    static func expand(_ text: String, environment: [String: String]) -> Result<String, Problem> {
        guard text.contains("${") else { return .success(text) }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            let afterOpen = rest[start.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else { return .failure(.unterminated) }
            let name = String(afterOpen[..<close])
            guard allowed.contains(name) else { return .failure(.unknown(name)) }
            guard let value = environment[name], !value.isEmpty else { return .failure(.unset(name)) }
            // systemd joins several directories of one kind with ':'; the first is the service's own.
            result += value.split(separator: ":", maxSplits: 1).first.map(String.init) ?? value
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        result += rest
        return .success(result)
    }
}
