import AWSClient
import Foundation

/// Turns the configured `aws.credentials` into the credential provider the daemon signs with (runbook
/// accounts are then reached from it by AssumeRole).
///
/// Unlike the default chain, an explicitly chosen source must be usable: `container` outside a
/// container, a `profile:` that does not exist or a `file:` that does not parse is an error at
/// start-up rather than a surprise at the first AWS call mid-cutover.
public struct CredentialSourceFactory: Sendable {
    /// The environment, transports, STS settings and clock the providers use.
    public var context: CredentialSourceContext

    public init(context: CredentialSourceContext = CredentialSourceContext()) {
        self.context = context
    }

    /// - Throws: `CredentialsError` naming the source and what to fix (never a secret).
    public func provider(for source: DaemonConfig.CredentialSource) throws -> any CredentialProvider {
        switch source {
        case .chain:
            return DefaultCredentialChain(context: context)
        case .environment:
            return EnvironmentCredentialProvider(environment: context.environment, now: context.now)
        case .container:
            let container = ContainerCredentialProvider(
                environment: context.environment, transport: context.metadataTransport,
                relativeURIBase: context.containerBaseURL, retryDelay: context.containerRetryDelay)
            guard container.isConfigured else {
                throw CredentialsError(
                    code: .notConfigured, source: ContainerCredentialProvider.sourceName,
                    message:
                        "aws.credentials is 'container' but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (ECS) nor AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity) is set; pass them to the service or choose another source"
                )
            }
            return RefreshingCredentialProvider(wrapping: container, now: context.now)
        case .instanceMetadata:
            let imds = InstanceMetadataCredentialProvider(
                environment: context.environment, transport: context.metadataTransport, endpoint: context.imdsEndpoint)
            return RefreshingCredentialProvider(wrapping: imds, now: context.now)
        case .profile(let name):
            let files = try AWSConfigFiles.load(environment: context.environment)
            return try ProfileCredentialProvider(profile: name, files: files, context: context)
        case .file(let path):
            return StaticCredentialProvider(try CredentialFile.read(path: path))
        }
    }
}

extension CredentialSourceFactory {
    /// The provider for `source` with the default transports and `environment`, `now` injected.
    public static func provider(
        for source: DaemonConfig.CredentialSource, environment: [String: String],
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> any CredentialProvider {
        try CredentialSourceFactory(context: CredentialSourceContext(environment: environment, now: now)).provider(for: source)
    }

    /// The endpoint resolver `aws` describes (see `DaemonConfig.AWS.endpointResolver(environment:)`).
    ///
    /// - Throws: `CredentialsError` for an `AWS_ENDPOINT_URL*` variable, or an `endpoint_url` of
    ///   the shared AWS config file's profile (its own or in its `services` section), that is plain
    ///   http to a host other than this machine (the configuration file's endpoints are checked
    ///   when it loads).
    public static func endpoints(for aws: DaemonConfig.AWS, environment: [String: String]) throws -> EndpointResolver {
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
            for (name, url) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("AWS_ENDPOINT_URL") {
                try refusePlainHTTP(url, named: name)
            }
        }
        let resolver = try aws.endpointResolver(environment: environment)
        guard environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" else { return resolver }
        let file = environment["AWS_CONFIG_FILE"] ?? "~/.aws/config"
        if let global = resolver.profile.global { try refusePlainHTTP(global, named: "endpoint_url in \(file)") }
        for (service, url) in resolver.profile.services.sorted(by: { $0.key < $1.key }) {
            try refusePlainHTTP(url, named: "services \(service) endpoint_url in \(file)")
        }
        return resolver
    }

    private static func refusePlainHTTP(_ url: String, named name: String) throws {
        guard ConfigURL.isPlainHTTP(url), !ConfigURL.isLoopback(url) else { return }
        throw CredentialsError(
            code: .invalidConfiguration, source: name,
            message: "\(name) is plain http to \(URLComponents(string: url)?.host ?? url), which is not this machine: AWS credentials "
                + "and session tokens would cross the network unencrypted. Use https:// (plain http:// only for 127.0.0.1, ::1 or localhost)"
        )
    }

    /// The client an SNS notification topic is published with, from the daemon's base credentials.
    public static func snsClient(
        topic: DaemonConfig.SNSTarget, base: any CredentialProvider, endpoints: EndpointResolver,
        transport: any HTTPTransport = CurlTransport.shared
    ) throws -> AWSClient {
        guard topic.region != nil || SNSTopicARN(topic.topicArn) != nil else {
            throw CredentialsError(
                code: .invalidConfiguration, source: "notifications.sns",
                message: "'\(topic.topicArn)' is not an SNS topic ARN and no region is given")
        }
        return SNSNotificationTarget.client(for: topic, credentials: base, endpoints: endpoints, transport: transport)
    }
}
