import AWSClient
import Foundation

extension DaemonConfig.AWS {
    /// The services `endpoints` may name: what cutoverd calls (S3, RDS, STS, KMS, EC2 for subnet
    /// and security-group checks, SNS for notifications).
    public static let serviceNames = ["s3", "rds", "sts", "kms", "ec2", "sns"]

    /// The endpoint resolver these settings describe, on top of the SDKs' standard sources.
    ///
    /// Precedence, highest first: `endpoints[service]`, `endpointURL`, then what the AWS SDKs read
    /// (`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services` and
    /// `endpoint_url`), then AWS's regional endpoint. The configuration file is the daemon's
    /// explicit word, so it wins over the environment; `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
    /// switches off the SDK sources but not this file.
    ///
    /// - Throws: `CredentialsError` when the shared AWS config file does not parse.
    public func endpointResolver(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws
        -> EndpointResolver
    {
        guard endpointURL != nil || !endpoints.isEmpty else { return try EndpointResolver.standard(environment: environment) }
        var merged = environment
        var resolver = try EndpointResolver.standard(environment: environment)
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" {
            // Honour the switch for everything but this file: no endpoint variables, no profile settings.
            for key in merged.keys where key.hasPrefix("AWS_ENDPOINT_URL") { merged[key] = nil }
            resolver.profile = .none
        }
        merged["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = nil
        if let endpointURL {
            // Per-service variables would otherwise beat the configured catch-all.
            for key in merged.keys where key.hasPrefix("AWS_ENDPOINT_URL_") { merged[key] = nil }
            merged["AWS_ENDPOINT_URL"] = endpointURL
        }
        for (service, url) in endpoints {
            merged["AWS_ENDPOINT_URL_" + service.uppercased()] = url
        }
        resolver.environment = merged
        return resolver
    }
}
