import AWSClient
import AWSSigV4
import Foundation
import TestSupport
import Testing

extension CredentialsSuite {
    @Suite struct SecretRedactionTests {
        @Test func credentialsErrorDescriptionsNeverContainSecrets() async throws {
            var errors: [CredentialsError] = []
            func capture(_ body: () async throws -> Void) async {
                do { try await body() } catch let error as CredentialsError { errors.append(error) } catch {}
            }
            await capture {
                _ = try await EnvironmentCredentialProvider(environment: ["AWS_SECRET_ACCESS_KEY": Secret.envSecret]).credentials()
            }
            await capture {
                _ = try AWSConfigFiles(config: nil, credentials: "[default]\naws_secret_access_key \(Secret.fileSecret)\n")
            }
            await capture {
                let files = try AWSConfigFiles(config: nil, credentials: "[x]\naws_secret_access_key = \(Secret.fileSecret)\n")
                _ = try ProfileCredentialProvider(profile: "x", files: files, context: testContext(environment: [:]))
            }
            await capture {
                _ = try await ContainerCredentialProvider(
                    environment: [
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/c",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "\(Secret.containerToken)\n",
                    ],
                    transport: loopbackTransport
                ).credentials()
            }
            #expect(errors.count == 4)
            for error in errors {
                #expect(!leaksSecret(error.description), "\(error.code) leaks a secret")
                #expect(!leaksSecret(String(reflecting: error)))
            }
        }

        @Test func fetchedCredentialsDescribeThemselvesWithoutSecrets() async throws {
            let expiry = Date(timeIntervalSince1970: 1_800_003_600)
            let imds = try LoopbackHTTPServer(handler: imdsHandler(expiration: expiry))
            defer { imds.stop() }
            let credentials = try await InstanceMetadataCredentialProvider(
                environment: [:], transport: loopbackTransport, endpoint: imds.baseURL
            )
            .credentials()
            #expect(!leaksSecret("\(credentials)"))
            #expect(!leaksSecret(String(reflecting: credentials)))
        }
    }
}
