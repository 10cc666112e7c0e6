import AWSClient
import Foundation
import Testing

extension CredentialsSuite {
    @Suite struct EnvironmentCredentialProviderTests {
        @Test func readsKeysSessionTokenExpirationAndAccount() async throws {
            let provider = EnvironmentCredentialProvider(environment: [
                "AWS_ACCESS_KEY_ID": "ASIAENVKEY000000001", "AWS_SECRET_ACCESS_KEY": Secret.envSecret,
                "AWS_SESSION_TOKEN": "env-token", "AWS_CREDENTIAL_EXPIRATION": "2030-01-01T00:00:00Z",
                "AWS_ACCOUNT_ID": "111111111111",
            ])
            let credentials = try await provider.credentials()
            #expect(credentials.accessKeyId == "ASIAENVKEY000000001")
            #expect(credentials.secretAccessKey == Secret.envSecret)
            #expect(credentials.sessionToken == "env-token")
            #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_456_000))
            #expect(credentials.accountId == "111111111111")
        }

        @Test func fallsBackToLegacySecurityToken() async throws {
            let provider = EnvironmentCredentialProvider(environment: [
                "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": Secret.envSecret, "AWS_SECURITY_TOKEN": "legacy",
            ])
            #expect(try await provider.credentials().sessionToken == "legacy")
        }

        @Test func emptyVariablesCountAsUnsetAndAreNotConfigured() async throws {
            let provider = EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .notConfigured)
            #expect(error.message.contains("no AWS_ACCESS_KEY_ID"))
        }

        @Test func keyWithoutSecretIsPartialCredentials() async throws {
            let provider = EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKIAENV"])
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .partialCredentials)
            #expect(error.message.contains("AWS_SECRET_ACCESS_KEY"))
        }

        @Test func secretWithoutKeyIsPartialAndDoesNotEchoTheSecret() async throws {
            let provider = EnvironmentCredentialProvider(environment: ["AWS_SECRET_ACCESS_KEY": Secret.envSecret])
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .partialCredentials)
            #expect(!leaksSecret(error.description))
        }

        @Test func expiredEnvironmentCredentialsAreRefused() async throws {
            let clock = TestClock(Date(timeIntervalSince1970: 1_900_000_000))
            let provider = EnvironmentCredentialProvider(
                environment: [
                    "AWS_ACCESS_KEY_ID": "ASIAENV", "AWS_SECRET_ACCESS_KEY": Secret.envSecret,
                    "AWS_CREDENTIAL_EXPIRATION": "2030-01-01T00:00:00Z",
                ], now: clock.closure)
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .expired)
        }
    }
}
