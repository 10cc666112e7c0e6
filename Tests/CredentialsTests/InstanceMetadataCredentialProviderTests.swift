import AWSClient
import Foundation
import TestSupport
import Testing

extension CredentialsSuite {
    @Suite struct InstanceMetadataCredentialProviderTests {
        static let expiry = Date(timeIntervalSince1970: 1_800_003_600)

        @Test func imdsV2FlowPutsTokenWithTTLThenSendsTokenOnEveryGet() async throws {
            let imds = try LoopbackHTTPServer(handler: imdsHandler(expiration: Self.expiry))
            defer { imds.stop() }
            let provider = InstanceMetadataCredentialProvider(
                environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.baseURL + "/"], transport: loopbackTransport)
            let credentials = try await provider.credentials()
            #expect(credentials.accessKeyId == "ASIAIMDSROLEKEY00001")
            #expect(credentials.secretAccessKey == Secret.imdsSecret)
            #expect(credentials.sessionToken == Secret.imdsToken)
            #expect(credentials.expiration == Self.expiry)

            let requests = imds.requests
            #expect(
                requests.map { "\($0.method) \($0.path)" } == [
                    "PUT /latest/api/token",
                    "GET /latest/meta-data/iam/security-credentials/",
                    "GET /latest/meta-data/iam/security-credentials/cutover-instance-role",
                ])
            #expect(requests[0].header("x-aws-ec2-metadata-token-ttl-seconds") == "21600")
            #expect(requests[1].header("x-aws-ec2-metadata-token") == "AQAEAimdsv2token==")
            #expect(requests[2].header("x-aws-ec2-metadata-token") == "AQAEAimdsv2token==")
        }

        @Test(arguments: [403, 404, 405])
        func tokenRefusalIsAnErrorWithNoIMDSv1Fallback(status: Int) async throws {
            let imds = try LoopbackHTTPServer { request in
                request.method == "PUT" ? .text(status, "") : imdsHandler(expiration: Self.expiry)(request)
            }
            defer { imds.stop() }
            let provider = InstanceMetadataCredentialProvider(environment: [:], transport: loopbackTransport, endpoint: imds.baseURL)
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .imdsTokenFailed)
            #expect(error.message.contains("HTTP \(status)"))
            #expect(error.message.contains("IMDSv1 fallback is deliberately not attempted"))
            #expect(imds.requests.map(\.method) == ["PUT"], "no token-less GET may follow")
        }

        @Test func tokenTimeoutFailsFastAsUnreachable() async throws {
            let imds = try LoopbackHTTPServer { _ in .delayed(.seconds(3), .text(200, "late")) }
            defer { imds.stop() }
            let provider = InstanceMetadataCredentialProvider(
                environment: [:], transport: loopbackTransport, endpoint: imds.baseURL, timeout: .milliseconds(200))
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            // No bound on the time taken (a parallel test run can hold a task for seconds): had the
            // 200 ms timeout not ended the PUT, the server's late answer would have been taken as
            // a token and a GET would have followed, failing otherwise.
            #expect(error.code == .endpointUnreachable)
            #expect(error.message.contains("IMDS unreachable at \(imds.baseURL)"))
            #expect(imds.requests.allSatisfy { $0.method == "PUT" })
        }

        @Test func defaultTimeoutIsOneSecondAndEndpointIsLinkLocal() {
            let provider = InstanceMetadataCredentialProvider(environment: [:], transport: loopbackTransport)
            #expect(provider.endpoint == "http://169.254.169.254")
            let ipv6 = InstanceMetadataCredentialProvider(
                environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], transport: loopbackTransport)
            #expect(ipv6.endpoint == "http://[fd00:ec2::254]")
        }

        @Test func disabledByEnvironmentMakesNoRequest() async throws {
            let transport = RecordingTransport()
            let provider = InstanceMetadataCredentialProvider(
                environment: ["AWS_EC2_METADATA_DISABLED": "TRUE"], transport: transport, endpoint: "http://127.0.0.1:9")
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .disabled)
            #expect(error.message.contains("AWS_EC2_METADATA_DISABLED"))
            #expect(transport.urls.isEmpty)
        }

        @Test func instanceWithoutRoleSaysToAttachAnInstanceProfile() async throws {
            let imds = try LoopbackHTTPServer { request in
                request.method == "PUT" ? .text(200, "tok") : .text(404, "")
            }
            defer { imds.stop() }
            let provider = InstanceMetadataCredentialProvider(environment: [:], transport: loopbackTransport, endpoint: imds.baseURL)
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.message.contains("no IAM role is attached"))
        }

        @Test func nonSuccessCodeInCredentialsDocumentIsAnError() async throws {
            let imds = try LoopbackHTTPServer { request in
                switch request.path {
                case "/latest/api/token": .text(200, "tok")
                case "/latest/meta-data/iam/security-credentials/": .text(200, "r")
                default: .text(200, "{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"role trust policy\"}")
                }
            }
            defer { imds.stop() }
            let provider = InstanceMetadataCredentialProvider(environment: [:], transport: loopbackTransport, endpoint: imds.baseURL)
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .malformedResponse)
            #expect(error.message.contains("AssumeRoleUnauthorizedAccess"))
        }
    }
}
