import Foundation

/// What credential sources need from their surroundings: the environment, the HTTP transports, the
/// STS region and endpoint, and the clock. Injected whole so tests can stand loopback servers in
/// for STS, the container endpoint and IMDS without touching the process.
public struct CredentialSourceContext: Sendable {
    public var environment: [String: String]
    /// The STS region; nil means `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, then
    /// `us-east-1`.
    public var region: String?
    /// For STS calls (proxies from the environment apply).
    public var transport: any HTTPTransport
    /// For IMDS and the container endpoint: link-local or loopback addresses that must never go
    /// through an HTTP proxy.
    public var metadataTransport: any HTTPTransport
    /// Where STS is; nil means the environment's and the profile's endpoint settings.
    public var endpoints: EndpointResolver?
    /// What a relative container URI is appended to (tests point it at a loopback server).
    public var containerBaseURL: String
    /// IMDS endpoint; nil means `AWS_EC2_METADATA_SERVICE_ENDPOINT` or the default.
    public var imdsEndpoint: String?
    /// Pause between container endpoint attempts.
    public var containerRetryDelay: Duration
    public var now: @Sendable () -> Date

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        region: String? = nil,
        transport: any HTTPTransport = CurlTransport.shared,
        metadataTransport: (any HTTPTransport)? = nil,
        endpoints: EndpointResolver? = nil,
        containerBaseURL: String = ContainerCredentialProvider.ecsEndpoint,
        imdsEndpoint: String? = nil,
        containerRetryDelay: Duration = .seconds(1),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.environment = environment
        self.region = region
        self.transport = transport
        self.metadataTransport = metadataTransport ?? Self.directTransport
        self.endpoints = endpoints
        self.containerBaseURL = containerBaseURL
        self.imdsEndpoint = imdsEndpoint
        self.containerRetryDelay = containerRetryDelay
        self.now = now
    }

    /// One proxy-free transport for the metadata endpoints, created on first use.
    static let directTransport: any HTTPTransport = CurlTransport(
        proxy: ProxySettings(caBundle: ProcessInfo.processInfo.environment["AWS_CA_BUNDLE"]))

    /// The STS region for `profile`.
    func stsRegion(files: AWSConfigFiles?, profile: String) -> String {
        region ?? environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION")
            ?? files?.region(profile: profile) ?? "us-east-1"
    }

    /// The STS endpoint resolver for `profile`.
    func stsEndpoints(files: AWSConfigFiles?, profile: String) -> EndpointResolver {
        endpoints ?? EndpointResolver(environment: environment, profile: files?.endpointSettings(profile: profile) ?? .none)
    }

    func containerProvider() -> ContainerCredentialProvider {
        ContainerCredentialProvider(
            environment: environment, transport: metadataTransport, relativeURIBase: containerBaseURL,
            retryDelay: containerRetryDelay)
    }

    func instanceMetadataProvider() -> InstanceMetadataCredentialProvider {
        InstanceMetadataCredentialProvider(environment: environment, transport: metadataTransport, endpoint: imdsEndpoint)
    }

    func refreshing(_ provider: any CredentialProvider) -> RefreshingCredentialProvider {
        RefreshingCredentialProvider(wrapping: provider, now: now)
    }
}
