extension DaemonConfig.CredentialSource {
    /// The forms `aws.credentials` accepts, for hints and documentation.
    public static let configForms = ["chain", "environment", "container", "instance-metadata", "profile:NAME", "file:PATH"]

    /// Parses the configuration form (`chain`, `profile:ops`, `file:/run/credentials/cutoverd.service/aws`);
    /// nil for anything else. Paths are taken as written (the loader checks that they are absolute).
    public init?(configValue text: String) {
        switch text {
        case "chain": self = .chain
        case "environment": self = .environment
        case "container": self = .container
        case "instance-metadata": self = .instanceMetadata
        default:
            if text.hasPrefix("profile:"), text.count > "profile:".count {
                self = .profile(String(text.dropFirst("profile:".count)))
            } else if text.hasPrefix("file:"), text.count > "file:".count {
                self = .file(String(text.dropFirst("file:".count)))
            } else {
                return nil
            }
        }
    }

    /// The form `init(configValue:)` reads.
    public var configValue: String {
        switch self {
        case .chain: return "chain"
        case .environment: return "environment"
        case .container: return "container"
        case .instanceMetadata: return "instance-metadata"
        case .profile(let name): return "profile:\(name)"
        case .file(let path): return "file:\(path)"
        }
    }
}
