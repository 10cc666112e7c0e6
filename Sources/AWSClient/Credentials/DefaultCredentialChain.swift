import AWSSigV4
import Foundation

/// Finds credentials the way the AWS SDKs do, so cutoverd runs unchanged on a plain Linux host
/// (environment or shared files), on ECS/Fargate/EKS (container endpoint) and on EC2 (IMDS).
///
/// Order, botocore's `create_credential_resolver` restricted to what Cutover supports:
/// 1. environment (`AWS_ACCESS_KEY_ID`…), skipped when a profile is passed explicitly;
/// 2. the profile's `role_arn` (with `source_profile` or `credential_source`);
/// 3. web identity (`AWS_WEB_IDENTITY_TOKEN_FILE`/`AWS_ROLE_ARN`, or the profile's keys);
/// 4. the profile's static keys (credentials file over config file);
/// 5. the container endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`/`…_FULL_URI`);
/// 6. EC2 instance metadata (IMDSv2).
///
/// A source that is not set up is skipped and noted. A source that is set up but fails (a bad
/// profile, an unreachable container endpoint) ends the search, as in botocore: quietly falling
/// through to another identity would be worse than stopping. The error then lists every source
/// tried and why each gave nothing.
///
/// The first source that works is kept for the life of the chain (its credentials refresh ahead of
/// expiry). If none works the next call searches again. Concurrent first callers share one search.
public actor DefaultCredentialChain: CredentialProvider {
    private let context: CredentialSourceContext
    private let explicitProfile: String?
    private var selected: Selection?
    private var searching: Task<Selection, any Error>?

    struct Selection: Sendable {
        var source: String
        var provider: any CredentialProvider
        var first: AWSCredentials
    }

    /// - Parameter profile: a profile chosen by the caller (a runbook, a flag). It disables the
    ///   environment-variable source, as a profile passed to a botocore Session does; nil means
    ///   `AWS_PROFILE`, else `default`, with the environment source first.
    public init(profile: String? = nil, context: CredentialSourceContext = CredentialSourceContext()) {
        self.explicitProfile = profile
        self.context = context
    }

    /// Where the credentials come from (`container`, `profile 'ops': AssumeRole …`), once found.
    public var selectedSource: String? { selected?.source }

    public func credentials() async throws -> AWSCredentials {
        if let selected { return try await selected.provider.credentials() }
        let task: Task<Selection, any Error>
        if let searching {
            task = searching
        } else {
            let context = self.context
            let profile = explicitProfile
            task = Task { try await Self.search(context: context, explicitProfile: profile) }
            searching = task
        }
        let result = await task.result
        if searching == task { searching = nil }
        let selection = try result.get()
        if selected == nil {
            selected = selection
            return selection.first
        }
        return try await selected!.provider.credentials()
    }

    /// Walks the sources in order; returns the first that yields credentials.
    static func search(context: CredentialSourceContext, explicitProfile: String?) async throws -> Selection {
        let environment = context.environment
        let profileName = explicitProfile ?? AWSConfigFiles.selectedProfileName(environment: environment)
        var tried: [CredentialsError.Attempt] = []

        func note(_ error: CredentialsError) { tried.append(.init(source: error.source, code: error.code, reason: error.message)) }
        func stop(_ error: CredentialsError) -> CredentialsError {
            note(error)
            var final = error
            final.tried = tried
            return final
        }
        /// Fetches once from a candidate; a failure of a configured source ends the search.
        func attempt(_ name: String, _ provider: any CredentialProvider) async throws -> Selection {
            do {
                return Selection(source: name, provider: provider, first: try await provider.credentials())
            } catch let error as CredentialsError {
                throw stop(error)
            }
        }

        // 1. Environment.
        if explicitProfile == nil {
            let env = EnvironmentCredentialProvider(environment: environment, now: context.now)
            do {
                let credentials = try env.resolve()
                return Selection(source: EnvironmentCredentialProvider.sourceName, provider: env, first: credentials)
            } catch let error as CredentialsError where error.isNotApplicable {
                note(error)
            } catch let error as CredentialsError {
                throw stop(error)
            }
        }

        // 2–4. Shared files.
        let files: AWSConfigFiles
        do {
            files = try AWSConfigFiles.load(environment: environment)
        } catch let error as CredentialsError {
            throw stop(error)
        }
        let profile = files.profile(named: profileName)
        let profileSource = "profile '\(profileName)'"
        if profile == nil {
            if profileName != "default" {
                // A profile someone asked for by name must exist; using another identity instead
                // would be a silent surprise (botocore raises ProfileNotFound too).
                let how = explicitProfile != nil ? "was requested" : "is selected by AWS_PROFILE/AWS_DEFAULT_PROFILE"
                throw stop(
                    CredentialsError(
                        code: .profileNotFound, source: profileSource,
                        message:
                            "profile '\(profileName)' \(how) but is not in \(files.searchedLocations); profiles there: \(files.profileNames.isEmpty ? "none" : files.profileNames.joined(separator: ", "))"
                    ))
            }
            note(
                CredentialsError(
                    code: .notConfigured, source: profileSource, message: "no profile '\(profileName)' in \(files.searchedLocations)"))
        }
        let resolver = ProfileCredentialProvider.Resolver(files: files, context: context, rootProfile: profileName)

        if let profile {
            do {
                if let (provider, how) = try resolver.assumeRole(profile, visited: [profileName]) {
                    return try await attempt("\(profileSource): \(how)", provider)
                }
            } catch let error as CredentialsError {
                throw stop(error)
            }
        }

        do {
            let webEnvironment = explicitProfile == nil ? environment : [:]
            if let (provider, how) = try resolver.webIdentity(profile, environment: webEnvironment) {
                return try await attempt("\(WebIdentityCredentialProvider.sourceName): \(how)", provider)
            }
            let profileHint = profile == nil ? "" : " and \(profileSource) has no web_identity_token_file"
            note(
                CredentialsError(
                    code: .notConfigured, source: WebIdentityCredentialProvider.sourceName,
                    message: "AWS_WEB_IDENTITY_TOKEN_FILE unset\(profileHint)"))
        } catch let error as CredentialsError where error.tried.isEmpty {
            throw stop(error)
        }

        if let profile {
            do {
                if let (provider, how) = try resolver.staticKeys(profile) {
                    return try await attempt("\(profileSource): \(how)", provider)
                }
                note(
                    CredentialsError(
                        code: .notConfigured, source: profileSource,
                        message: "\(profile.label) has no aws_access_key_id, role_arn or web_identity_token_file"))
            } catch let error as CredentialsError where error.tried.isEmpty {
                throw stop(error)
            }
        }

        // 5. Container endpoint.
        let container = context.containerProvider()
        if container.isConfigured {
            return try await attempt(ContainerCredentialProvider.sourceName, context.refreshing(container))
        }
        note(
            CredentialsError(
                code: .notConfigured, source: ContainerCredentialProvider.sourceName,
                message:
                    "not on ECS (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI unset) nor EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI unset)"
            ))

        // 6. Instance metadata: the last resort, so its failure is one more reason, not a stop.
        let imds = context.instanceMetadataProvider()
        let refreshingIMDS = context.refreshing(imds)
        do {
            return Selection(
                source: InstanceMetadataCredentialProvider.sourceName, provider: refreshingIMDS,
                first: try await refreshingIMDS.credentials())
        } catch let error as CredentialsError {
            note(error)
        }

        throw CredentialsError(
            code: .noCredentials, source: "credential chain",
            message:
                "no AWS credentials found. Provide them one way: export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, add profile '\(profileName)' to \(files.configFilePath) or \(files.credentialsFilePath), run as an ECS task with a task role, or on EC2 with an instance profile",
            tried: tried)
    }
}
