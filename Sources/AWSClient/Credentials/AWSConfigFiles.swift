import Foundation

/// The shared AWS config and credentials files, parsed: `~/.aws/config` (`[default]`,
/// `[profile NAME]`, `[services NAME]`) and `~/.aws/credentials` (`[NAME]`).
///
/// Locations follow the SDKs: `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else
/// `$HOME/.aws/…`. A missing file is the same as an empty one; a malformed one is an error that
/// names file and line. When a profile appears in both files their keys are merged and the
/// credentials file wins, as in botocore.
public struct AWSConfigFiles: Sendable, Equatable {
    /// One named profile, merged from both files.
    public struct Profile: Sendable, Equatable {
        public var name: String
        /// Top-level keys, lower-cased (`aws_access_key_id`, `role_arn`, `region`, …).
        public var values: [String: String]
        /// Sub-properties of keys with nested values (`s3 =\n  addressing_style = path`).
        public var nested: [String: [String: String]]
        /// Where the profile is defined (`/home/ops/.aws/config:12`), for error messages.
        public var locations: [String]

        public init(name: String, values: [String: String] = [:], nested: [String: [String: String]] = [:], locations: [String] = []) {
            self.name = name
            self.values = values
            self.nested = nested
            self.locations = locations
        }

        /// A non-empty value for `key`.
        public subscript(key: String) -> String? {
            guard let value = values[key], !value.isEmpty else { return nil }
            return value
        }

        /// True when the profile holds a long-term or session key pair (or half of one).
        public var hasStaticCredentials: Bool {
            self["aws_access_key_id"] != nil || self["aws_secret_access_key"] != nil
        }

        /// `profile 'NAME' (file:line)`, for messages.
        var label: String {
            locations.isEmpty ? "profile '\(name)'" : "profile '\(name)' (\(locations.joined(separator: ", ")))"
        }
    }

    /// The config file's path (whether or not it exists).
    public var configFilePath: String
    /// The credentials file's path (whether or not it exists).
    public var credentialsFilePath: String
    /// Whether each file was found.
    public var configFileExists: Bool
    public var credentialsFileExists: Bool

    private var profiles: [String: Profile]
    /// `[services NAME]` sections: name → service key → settings (`endpoint_url`).
    private var servicesSections: [String: [String: [String: String]]]

    /// Reads both files from where `environment` says they are.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSConfigFiles {
        let configPath =
            environment.nonEmpty("AWS_CONFIG_FILE").map { expandHome($0, environment) }
            ?? expandHome("~/.aws/config", environment)
        let credentialsPath =
            environment.nonEmpty("AWS_SHARED_CREDENTIALS_FILE").map { expandHome($0, environment) }
            ?? expandHome("~/.aws/credentials", environment)
        return try AWSConfigFiles(
            config: try read(configPath), configFilePath: configPath,
            credentials: try read(credentialsPath), credentialsFilePath: credentialsPath)
    }

    /// Parses file contents directly; `nil` means the file does not exist.
    public init(
        config: String?, configFilePath: String = "~/.aws/config",
        credentials: String?, credentialsFilePath: String = "~/.aws/credentials"
    ) throws {
        self.configFilePath = configFilePath
        self.credentialsFilePath = credentialsFilePath
        self.configFileExists = config != nil
        self.credentialsFileExists = credentials != nil
        self.profiles = [:]
        self.servicesSections = [:]

        var explicitDefault: Profile?
        for section in try ConfigFileParser(path: configFilePath).parse(config ?? "") {
            let location = "\(configFilePath):\(section.line)"
            let words = section.header.split(whereSeparator: \.isWhitespace).map(String.init)
            if section.header == "default" {
                merge(Profile(name: "default", values: section.properties, nested: section.subProperties, locations: [location]))
            } else if words.count == 2, words[0] == "profile" {
                let profile = Profile(name: words[1], values: section.properties, nested: section.subProperties, locations: [location])
                // `[profile default]` outranks `[default]` (botocore).
                if words[1] == "default" { explicitDefault = profile } else { merge(profile) }
            } else if words.count == 2, words[0] == "services" {
                servicesSections[words[1]] = section.subProperties
            }
            // Other sections (`[sso-session …]`, or a bare `[name]`, which the config file does
            // not treat as a profile) are ignored, as in botocore.
        }
        if let explicitDefault { profiles["default"] = explicitDefault }

        for section in try ConfigFileParser(path: credentialsFilePath).parse(credentials ?? "") {
            merge(
                Profile(
                    name: section.header, values: section.properties, nested: section.subProperties,
                    locations: ["\(credentialsFilePath):\(section.line)"]))
        }
    }

    private mutating func merge(_ profile: Profile) {
        guard var existing = profiles[profile.name] else {
            profiles[profile.name] = profile
            return
        }
        existing.values.merge(profile.values) { _, later in later }
        existing.nested.merge(profile.nested) { _, later in later }
        existing.locations += profile.locations
        profiles[profile.name] = existing
    }

    /// The profile the SDKs select: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`.
    public static func selectedProfileName(environment: [String: String]) -> String {
        environment.nonEmpty("AWS_PROFILE") ?? environment.nonEmpty("AWS_DEFAULT_PROFILE") ?? "default"
    }

    /// Every profile name in either file, sorted.
    public var profileNames: [String] { profiles.keys.sorted() }

    /// The merged profile `name`, or nil when neither file defines it.
    public func profile(named name: String) -> Profile? { profiles[name] }

    /// The profile's `region`.
    public func region(profile name: String) -> String? { profiles[name]?["region"] }

    /// Endpoint overrides for `profile`: its `endpoint_url` as the global override and the
    /// `endpoint_url` of each service in the `[services NAME]` section its `services` key names.
    /// A profile with `ignore_configured_endpoint_urls = true` yields none.
    public func endpointSettings(profile name: String) -> ProfileEndpointSettings {
        guard let profile = profiles[name] else { return .none }
        if profile["ignore_configured_endpoint_urls"]?.lowercased() == "true" { return .none }
        var settings = ProfileEndpointSettings(global: profile["endpoint_url"])
        if let sectionName = profile["services"], let section = servicesSections[sectionName] {
            for (service, values) in section {
                if let url = values["endpoint_url"], !url.isEmpty { settings.services[service] = url }
            }
        }
        return settings
    }

    /// `path (missing)` or `path`, for messages that must say where we looked.
    var searchedLocations: String {
        func describe(_ path: String, _ exists: Bool) -> String { exists ? path : "\(path) (no such file)" }
        return "\(describe(configFilePath, configFileExists)) or \(describe(credentialsFilePath, credentialsFileExists))"
    }

    private static func expandHome(_ path: String, _ environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment.nonEmpty("HOME") ?? NSHomeDirectory()
        return home + path.dropFirst()
    }

    private static func read(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CredentialsError(
                code: .invalidConfiguration, source: "shared config",
                message: "cannot read \(path) (\(Self.reason(error))); check its permissions for the user cutoverd runs as")
        }
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
