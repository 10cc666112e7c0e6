import AWSClient
import Foundation
import Synchronization
import TestSupport
import Testing

extension CredentialsSuite {
    @Suite struct WebIdentityCredentialProviderTests {
        static let expiry = Date(timeIntervalSince1970: 1_800_003_600)

        @Test func exchangesTokenUnsignedAndRereadsTheFileOnEachFetch() async throws {
            let sts = try LoopbackHTTPServer { _ in .text(200, webIdentityResponseXML(expiration: Self.expiry)) }
            defer { sts.stop() }
            let dir = try ScratchDirectory()
            let tokenFile = try dir.write("token", "eyJ.first.jwt\n")
            let configuration = try #require(
                try WebIdentityCredentialProvider.Configuration.resolve(
                    environment: [
                        "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::333333333333:role/CutoverIRSA",
                        "AWS_ROLE_SESSION_NAME": "cutover-irsa",
                    ], profile: nil))
            let provider = WebIdentityCredentialProvider(
                configuration, region: "eu-west-1", transport: loopbackTransport, endpoints: EndpointResolver(overrideURL: sts.baseURL))

            let credentials = try await provider.credentials()
            #expect(credentials.accessKeyId == "ASIAWEBIDENTITYKEY01")
            #expect(credentials.accountId == "333333333333")
            try dir.write("token", "eyJ.second.jwt")
            _ = try await provider.credentials()

            let forms = sts.requests.map { formFields($0.body) }
            #expect(forms.map { $0["WebIdentityToken"] } == ["eyJ.first.jwt", "eyJ.second.jwt"])
            #expect(forms[0]["Action"] == "AssumeRoleWithWebIdentity")
            #expect(forms[0]["RoleArn"] == "arn:aws:iam::333333333333:role/CutoverIRSA")
            #expect(forms[0]["RoleSessionName"] == "cutover-irsa")
            #expect(sts.requests.allSatisfy { $0.header("Authorization") == nil })
        }

        @Test func environmentOverridesProfileKeysOneByOne() throws {
            let profile = AWSConfigFiles.Profile(
                name: "irsa",
                values: ["web_identity_token_file": "/profile/token", "role_arn": "arn:profile", "role_session_name": "profile-session"])
            let configuration = try WebIdentityCredentialProvider.Configuration.resolve(
                environment: ["AWS_ROLE_ARN": "arn:env"], profile: profile)
            #expect(configuration == .init(roleArn: "arn:env", tokenFile: "/profile/token", sessionName: "profile-session"))
        }

        @Test func tokenFileWithoutRoleIsAConfigurationError() throws {
            let error = try #require(throws: CredentialsError.self) {
                try WebIdentityCredentialProvider.Configuration.resolve(environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/t"], profile: nil)
            }
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("AWS_ROLE_ARN"))
        }

        @Test func invalidIdentityTokenIsRetriedThenReported() async throws {
            let sts = try LoopbackHTTPServer { _ in
                .text(
                    400,
                    """
                    <ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Couldn't retrieve verification key</Message></Error><RequestId>req-1</RequestId></ErrorResponse>
                    """)
            }
            defer { sts.stop() }
            let dir = try ScratchDirectory()
            let provider = WebIdentityCredentialProvider(
                .init(roleArn: "arn:aws:iam::333333333333:role/R", tokenFile: try dir.write("t", "eyJ.jwt")),
                transport: loopbackTransport, endpoints: EndpointResolver(overrideURL: sts.baseURL), retryDelay: .milliseconds(1))
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(sts.requests.count == 3)
            #expect(error.code == .stsError)
            #expect(error.requestId == "req-1")
            #expect(error.message.contains("InvalidIdentityToken"))
            #expect(!error.description.contains("eyJ.jwt"))
        }

        @Test func missingTokenFileNamesThePath() async throws {
            let provider = WebIdentityCredentialProvider(
                .init(roleArn: "arn:aws:iam::1:role/R", tokenFile: "/nonexistent/cutover/token"),
                transport: loopbackTransport, endpoints: EndpointResolver(overrideURL: "http://127.0.0.1:9"))
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .tokenFileUnreadable)
            #expect(error.message.contains("/nonexistent/cutover/token"))
        }
    }
}
