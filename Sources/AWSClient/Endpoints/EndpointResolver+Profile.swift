import Foundation

extension EndpointResolver {
    /// The resolver the SDKs would build on this host: the environment's endpoint variables plus
    /// the `endpoint_url` and `services` section of the selected profile (`AWS_PROFILE`, else
    /// `default`) in the shared config file. A config file that does not parse is an error that
    /// names its file and line; a missing file just means no profile settings.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> EndpointResolver {
        let files = try AWSConfigFiles.load(environment: environment)
        let profile = AWSConfigFiles.selectedProfileName(environment: environment)
        return EndpointResolver(environment: environment, profile: files.endpointSettings(profile: profile))
    }
}
