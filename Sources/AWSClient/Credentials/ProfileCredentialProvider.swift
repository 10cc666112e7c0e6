import AWSSigV4
import Foundation

/// Credentials for one named profile of the shared config files, resolved as botocore resolves
/// them: `role_arn` (without `web_identity_token_file`) assumes the role with credentials from
/// exactly one of `source_profile` or `credential_source`; `web_identity_token_file` exchanges a
/// token; otherwise the profile's static keys.
///
/// `source_profile` chains are followed (a source profile's static keys win over its own
/// `role_arn`, as in botocore) and cycles are an error, except a profile that names itself and
/// holds static keys: those keys then sign its own AssumeRole. The provider tree is built once, at
/// `init`, so configuration errors surface immediately, and every network source in it refreshes
/// ahead of expiry.
public struct ProfileCredentialProvider: CredentialProvider {
    /// The `credential_source` values botocore accepts.
    public enum CredentialSource: String, Sendable, CaseIterable {
        case environment = "Environment"
        case ec2InstanceMetadata = "Ec2InstanceMetadata"
        case ecsContainer = "EcsContainer"
    }

    public let profileName: String
    /// What the profile resolved to, for logs: `AssumeRole arn:… via profile 'base'`, `static keys`, ….
    public let resolution: String
    private let resolved: any CredentialProvider

    /// - Throws: `CredentialsError` with `.notConfigured` when the profile does not exist or holds
    ///   no credentials, otherwise the configuration problem found.
    public init(profile name: String, files: AWSConfigFiles, context: CredentialSourceContext = CredentialSourceContext()) throws {
        let resolver = Resolver(files: files, context: context, rootProfile: name)
        let (provider, resolution) = try resolver.resolve(name, visited: [name], isRoot: true)
        self.profileName = name
        self.resolution = resolution
        self.resolved = provider
    }

    public func credentials() async throws -> AWSCredentials {
        try await resolved.credentials()
    }

    /// Builds provider trees for profiles; `rootProfile` decides the STS region and endpoints.
    struct Resolver {
        let files: AWSConfigFiles
        let context: CredentialSourceContext
        let rootProfile: String

        /// The whole profile: role, then web identity, then static keys.
        func resolve(_ name: String, visited: [String], isRoot: Bool) throws -> (any CredentialProvider, String) {
            let profile = try lookUp(name, referencedBy: nil)
            if let role = try assumeRole(profile, visited: visited) { return role }
            if let webIdentity = try webIdentity(profile, environment: [:]) { return webIdentity }
            if let keys = try staticKeys(profile) { return keys }
            throw CredentialsError(
                code: .notConfigured, source: "profile '\(name)'",
                message: "\(profile.label) has no aws_access_key_id, role_arn or web_identity_token_file")
        }

        func lookUp(_ name: String, referencedBy parent: AWSConfigFiles.Profile?) throws -> AWSConfigFiles.Profile {
            if let profile = files.profile(named: name) { return profile }
            if let parent {
                throw CredentialsError(
                    code: .profileNotFound, source: "profile '\(parent.name)'",
                    message: "source_profile '\(name)' named in \(parent.label) does not exist in \(files.searchedLocations)")
            }
            throw CredentialsError(
                code: .notConfigured, source: "profile '\(name)'", message: "no profile '\(name)' in \(files.searchedLocations)")
        }

        /// The profile's role, or nil when it has no `role_arn` (or is a web identity profile).
        func assumeRole(_ profile: AWSConfigFiles.Profile, visited: [String]) throws -> (any CredentialProvider, String)? {
            guard let roleArn = profile["role_arn"], profile["web_identity_token_file"] == nil else { return nil }
            let source = "profile '\(profile.name)'"
            let sourceProfile = profile["source_profile"]
            let credentialSource = profile["credential_source"]

            let signer: any CredentialProvider
            let via: String
            switch (sourceProfile, credentialSource) {
            case (_?, _?):
                throw CredentialsError(
                    code: .invalidConfiguration, source: source,
                    message: "\(profile.label) sets both source_profile and credential_source; keep exactly one")
            case (nil, nil):
                throw CredentialsError(
                    code: .invalidConfiguration, source: source,
                    message:
                        "\(profile.label) sets role_arn but neither source_profile nor credential_source; add one (credential_source = Environment, Ec2InstanceMetadata or EcsContainer)"
                )
            case (nil, let named?):
                guard let kind = CredentialSource(rawValue: named) else {
                    throw CredentialsError(
                        code: .invalidConfiguration, source: source,
                        message:
                            "\(profile.label) has credential_source '\(named)'; valid values are \(CredentialSource.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                signer = sourceProvider(kind)
                via = "credential_source \(named)"
            case (let sourceName?, nil):
                if visited.contains(sourceName) {
                    // botocore allows a profile to name itself when it holds the static keys that
                    // sign its own AssumeRole; every other repeat is a loop.
                    guard sourceName == profile.name, let keys = try staticKeys(profile) else {
                        throw CredentialsError(
                            code: .sourceProfileCycle, source: source,
                            message:
                                "source_profile loop: \((visited + [sourceName]).joined(separator: " → ")); break the cycle in \(files.searchedLocations)"
                        )
                    }
                    signer = keys.0
                } else {
                    let next = try lookUp(sourceName, referencedBy: profile)
                    signer = try sourceProfileProvider(next, visited: visited + [sourceName])
                }
                via = "source_profile '\(sourceName)'"
            }

            var duration: Int?
            if let text = profile["duration_seconds"] {
                guard let seconds = Int(text), seconds > 0 else {
                    throw CredentialsError(
                        code: .invalidConfiguration, source: source,
                        message: "\(profile.label) has duration_seconds '\(text)', which is not a whole number of seconds")
                }
                duration = seconds
            }
            let parameters = AssumeRoleCredentialProvider.Parameters(
                roleArn: roleArn, sessionName: profile["role_session_name"], externalId: profile["external_id"],
                durationSeconds: duration)
            let provider = AssumeRoleCredentialProvider(
                parameters, source: signer, region: context.stsRegion(files: files, profile: rootProfile),
                transport: context.transport, endpoints: context.stsEndpoints(files: files, profile: rootProfile),
                now: context.now)
            return (context.refreshing(provider), "AssumeRole \(roleArn) via \(via)")
        }

        /// A source profile: its static keys first (botocore), then its own role, then web identity.
        private func sourceProfileProvider(_ profile: AWSConfigFiles.Profile, visited: [String]) throws -> any CredentialProvider {
            if let keys = try staticKeys(profile) { return keys.0 }
            if let role = try assumeRole(profile, visited: visited) { return role.0 }
            if let webIdentity = try webIdentity(profile, environment: [:]) { return webIdentity.0 }
            throw CredentialsError(
                code: .invalidConfiguration, source: "profile '\(profile.name)'",
                message:
                    "\(profile.label) is used as a source_profile but has no credentials (aws_access_key_id, role_arn or web_identity_token_file)"
            )
        }

        func sourceProvider(_ kind: CredentialSource) -> any CredentialProvider {
            switch kind {
            case .environment: EnvironmentCredentialProvider(environment: context.environment, now: context.now)
            case .ec2InstanceMetadata: context.refreshing(context.instanceMetadataProvider())
            case .ecsContainer: context.refreshing(context.containerProvider())
            }
        }

        /// Web identity from the profile's keys, each overridden by its environment variable.
        func webIdentity(_ profile: AWSConfigFiles.Profile?, environment: [String: String]) throws -> (any CredentialProvider, String)? {
            guard let configuration = try WebIdentityCredentialProvider.Configuration.resolve(environment: environment, profile: profile)
            else { return nil }
            let provider = WebIdentityCredentialProvider(
                configuration, region: context.stsRegion(files: files, profile: rootProfile), transport: context.transport,
                endpoints: context.stsEndpoints(files: files, profile: rootProfile), now: context.now)
            return (context.refreshing(provider), "AssumeRoleWithWebIdentity \(configuration.roleArn)")
        }

        /// The profile's key pair, nil when it has none, an error when it has half of one.
        func staticKeys(_ profile: AWSConfigFiles.Profile) throws -> (any CredentialProvider, String)? {
            switch (profile["aws_access_key_id"], profile["aws_secret_access_key"]) {
            case (nil, nil):
                return nil
            case (let keyId?, let secret?):
                let credentials = AWSCredentials(
                    accessKeyId: keyId, secretAccessKey: secret,
                    sessionToken: profile["aws_session_token"] ?? profile["aws_security_token"],
                    accountId: profile["aws_account_id"])
                return (StaticCredentialProvider(credentials), "static keys \(keyId)")
            case (nil, _?):
                throw CredentialsError(
                    code: .partialCredentials, source: "profile '\(profile.name)'",
                    message: "\(profile.label) has aws_secret_access_key but no aws_access_key_id")
            case (_?, nil):
                throw CredentialsError(
                    code: .partialCredentials, source: "profile '\(profile.name)'",
                    message: "\(profile.label) has aws_access_key_id but no aws_secret_access_key")
            }
        }
    }
}
