/// Endpoint overrides read from a shared-config profile: the profile's `endpoint_url` and the
/// per-service `endpoint_url`s of the `[services NAME]` section it names.
public struct ProfileEndpointSettings: Sendable, Equatable {
    /// The profile's own `endpoint_url`, used for every service without a more specific one.
    public var global: String?
    /// Per-service `endpoint_url`, keyed by the lower-cased config key (`s3`, `rds`, `sts`, `kms`).
    public var services: [String: String]

    public init(global: String? = nil, services: [String: String] = [:]) {
        self.global = global
        self.services = services
    }

    public static let none = ProfileEndpointSettings()
}
