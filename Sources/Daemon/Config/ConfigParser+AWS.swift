import Yams

extension ConfigParser {
    mutating func parseAWS(_ node: Node, into aws: inout DaemonConfig.AWS) {
        let keys = ["credentials", "endpointURL", "endpoints"]
        guard let entries = reader.section(node, "aws", example: "aws: { credentials: chain }") else { return }
        for entry in entries {
            switch entry.key {
            case "credentials": if let source = parseCredentials(entry.value) { aws.credentials = source }
            case "endpointURL":
                if ConfigReader.isNull(entry.value) {
                    aws.endpointURL = nil
                } else if let url = reader.awsEndpointURL(entry.value, "aws.endpointURL") {
                    aws.endpointURL = url
                }
            case "endpoints": if let endpoints = parseEndpoints(entry.value) { aws.endpoints = endpoints }
            default: reader.unknownKey(entry, in: "aws", allowed: keys)
            }
        }
    }

    /// `chain`, `environment`, `container`, `instance-metadata`, `profile:NAME` or `file:PATH`.
    mutating func parseCredentials(_ node: Node) -> DaemonConfig.CredentialSource? {
        guard let text = reader.text(node, "aws.credentials") else { return nil }
        let forms = DaemonConfig.CredentialSource.configForms
        if text.hasPrefix("profile:") {
            let name = String(text.dropFirst("profile:".count))
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else {
                reader.report(
                    "bad-value", "'aws.credentials' names no profile: '\(text)'",
                    hint: "write profile:NAME with a profile of the shared AWS config files", at: node)
                return nil
            }
            return .profile(name)
        }
        if text.hasPrefix("file:") {
            let path = String(text.dropFirst("file:".count))
            return reader.checkedPath(path, "aws.credentials file", at: node).map { .file($0) }
        }
        if let source = DaemonConfig.CredentialSource(configValue: text) { return source }
        let near = ConfigHints.nearest(to: text, in: ["chain", "environment", "container", "instance-metadata", "profile", "file"])
        var hint = "use \(ConfigHints.list(forms))"
        if let near {
            hint = "did you mean '\(near == "profile" || near == "file" ? near + ":…" : near)'? Allowed: \(ConfigHints.list(forms))"
        }
        reader.report("bad-value", "'aws.credentials' cannot be '\(text)'", hint: hint, at: node)
        return nil
    }

    mutating func parseEndpoints(_ node: Node) -> [String: String]? {
        guard let entries = reader.section(node, "aws.endpoints", example: "endpoints: { s3: http://127.0.0.1:9000 }")
        else { return nil }
        var endpoints: [String: String] = [:]
        var ok = true
        for entry in entries {
            guard DaemonConfig.AWS.serviceNames.contains(entry.key) else {
                reader.unknownKey(entry, in: "aws.endpoints", allowed: DaemonConfig.AWS.serviceNames)
                ok = false
                continue
            }
            if let url = reader.awsEndpointURL(entry.value, "aws.endpoints.\(entry.key)") {
                endpoints[entry.key] = url
            } else {
                ok = false
            }
        }
        return ok ? endpoints : nil
    }
}
