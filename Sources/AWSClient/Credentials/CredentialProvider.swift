import AWSSigV4

/// A source of AWS credentials. Providers are cheap to call repeatedly: the ones that fetch over the
/// network cache and refresh ahead of expiry (see `RefreshingCredentialProvider`).
public protocol CredentialProvider: Sendable {
    /// Credentials valid now. Throws `CredentialsError` when this source has none.
    func credentials() async throws -> AWSCredentials
}

/// A fixed set of credentials (tests, and keys passed explicitly).
public struct StaticCredentialProvider: CredentialProvider {
    public let value: AWSCredentials
    public init(_ value: AWSCredentials) { self.value = value }
    public func credentials() async throws -> AWSCredentials { value }
}
