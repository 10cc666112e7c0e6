import AWSSigV4
import Foundation

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for temporary credentials,
/// `AWS_SESSION_TOKEN` (or the older `AWS_SECURITY_TOKEN`) with an optional
/// `AWS_CREDENTIAL_EXPIRATION` (ISO 8601) and `AWS_ACCOUNT_ID`. The first source botocore tries.
///
/// Empty variables count as unset, as in botocore. The environment is injected so tests never touch
/// the process environment.
public struct EnvironmentCredentialProvider: CredentialProvider {
    public static let sourceName = "environment"

    public let environment: [String: String]
    private let now: @Sendable () -> Date

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.environment = environment
        self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        try resolve()
    }

    /// The synchronous core: environment variables in, credentials out.
    func resolve() throws -> AWSCredentials {
        let keyId = environment.nonEmpty("AWS_ACCESS_KEY_ID")
        let secret = environment.nonEmpty("AWS_SECRET_ACCESS_KEY")
        switch (keyId, secret) {
        case (nil, nil):
            throw error(.notConfigured, "no AWS_ACCESS_KEY_ID")
        case (nil, _?):
            throw error(.partialCredentials, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both or neither")
        case (_?, nil):
            throw error(.partialCredentials, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both or neither")
        case (let keyId?, let secret?):
            var expiration: Date?
            if let text = environment.nonEmpty("AWS_CREDENTIAL_EXPIRATION") {
                guard let date = CredentialTimestamp.parse(text) else {
                    throw error(.invalidConfiguration, "AWS_CREDENTIAL_EXPIRATION '\(text)' is not an ISO 8601 timestamp")
                }
                guard date > now() else {
                    throw error(.expired, "the credentials for \(keyId) expired at \(text) (AWS_CREDENTIAL_EXPIRATION); export fresh ones")
                }
                expiration = date
            }
            return AWSCredentials(
                accessKeyId: keyId, secretAccessKey: secret,
                sessionToken: environment.nonEmpty("AWS_SESSION_TOKEN") ?? environment.nonEmpty("AWS_SECURITY_TOKEN"),
                expiration: expiration, accountId: environment.nonEmpty("AWS_ACCOUNT_ID"))
        }
    }

    private func error(_ code: CredentialsError.Code, _ message: String) -> CredentialsError {
        CredentialsError(code: code, source: Self.sourceName, message: message)
    }
}
