import Foundation

/// Where a request goes: scheme, host, port and any base path, and whether S3 addresses the bucket
/// in the path or in the host name.
public struct ResolvedEndpoint: Sendable, Equatable {
    /// `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:5000` (no trailing slash).
    public var base: String
    /// The `Host` header value (with the port when it is not the scheme's default).
    public var host: String
    /// Where the URL's path starts (a custom endpoint may carry a base path).
    public var basePath: String
    /// Set when a custom endpoint or the configuration supplied it (never virtual-host S3 there).
    public var isCustom: Bool

    public init(base: String, host: String, basePath: String, isCustom: Bool) {
        self.base = base
        self.host = host
        self.basePath = basePath
        self.isCustom = isCustom
    }
}

/// Resolves service endpoints as the AWS SDKs do: an explicit override first, then
/// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services` section and the
/// profile's `endpoint_url` (all ignored when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), then the
/// regional default. The us-east-1 S3 endpoint is the legacy global `s3.amazonaws.com`.
public struct EndpointResolver: Sendable {
    public var overrideURL: String?
    public var environment: [String: String]
    public var profile: ProfileEndpointSettings
    /// Address S3 buckets in the path even on AWS's own endpoints.
    public var forcePathStyle: Bool

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        profile: ProfileEndpointSettings = .none, forcePathStyle: Bool = false
    ) {
        self.overrideURL = nil
        self.environment = environment
        self.profile = profile
        self.forcePathStyle = forcePathStyle
    }

    /// Every service goes to `url` (moto, the simulator, a VPC endpoint).
    public init(overrideURL: String) {
        self.overrideURL = overrideURL
        self.environment = [:]
        self.profile = .none
        self.forcePathStyle = false
    }

    /// The configured (non-default) endpoint URL for `service`, if any.
    public func configuredURL(for service: AWSService) -> String? {
        if let overrideURL { return overrideURL }
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" { return nil }
        let envKey = "AWS_ENDPOINT_URL_" + service.serviceId.uppercased().replacingOccurrences(of: " ", with: "_")
        if let url = environment[envKey], !url.isEmpty { return url }
        if let url = environment["AWS_ENDPOINT_URL"], !url.isEmpty { return url }
        let configKey = service.serviceId.lowercased().replacingOccurrences(of: " ", with: "_")
        if let url = profile.services[configKey], !url.isEmpty { return url }
        if let url = profile.global, !url.isEmpty { return url }
        return nil
    }

    /// Resolves the endpoint for one request.
    public func resolve(service: AWSService, region: String) throws -> ResolvedEndpoint {
        if let configured = configuredURL(for: service) {
            return try Self.parse(configured)
        }
        if let global = service.global {
            // One endpoint for every region (Route 53); a configured URL above still wins, so a
            // single moto or simulator endpoint serves global services like regional ones.
            return ResolvedEndpoint(base: "https://\(global.host)", host: global.host, basePath: "", isCustom: false)
        }
        guard Self.isValidRegion(region) else {
            throw EndpointError(
                message: "region '\(region)' is not a valid AWS region name; set it in the runbook, AWS_REGION or the profile")
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let host: String
        if service.endpointPrefix == "s3" && region == "us-east-1" {
            host = "s3.amazonaws.com"
        } else {
            host = "\(service.endpointPrefix).\(region).\(suffix)"
        }
        return ResolvedEndpoint(base: "https://\(host)", host: host, basePath: "", isCustom: false)
    }

    /// Whether S3 should put `bucket` in the host name on `endpoint`: only on AWS's own endpoints
    /// and only for names that are valid DNS labels without dots (dots break the TLS wildcard).
    public func useVirtualHost(bucket: String, on endpoint: ResolvedEndpoint) -> Bool {
        guard !forcePathStyle, !endpoint.isCustom else { return false }
        return Self.isDNSCompatibleBucket(bucket)
    }

    static func isDNSCompatibleBucket(_ name: String) -> Bool {
        guard (3...63).contains(name.count), !name.contains(".") else { return false }
        let allowed = name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        return allowed && name.first != "-" && name.last != "-"
    }

    static func isValidRegion(_ region: String) -> Bool {
        !region.isEmpty && region.count <= 64
            && region.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    static func parse(_ url: String) throws -> ResolvedEndpoint {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw EndpointError(message: "endpoint URL '\(url)' is not an http(s) URL with a host")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let authority = components.port.map { $0 == defaultPort ? hostPart : "\(hostPart):\($0)" } ?? hostPart
        var basePath = components.percentEncodedPath
        while basePath.hasSuffix("/") { basePath.removeLast() }
        return ResolvedEndpoint(base: "\(scheme)://\(authority)", host: authority, basePath: basePath, isCustom: true)
    }
}

/// An endpoint that cannot be used, with what to fix.
public struct EndpointError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
