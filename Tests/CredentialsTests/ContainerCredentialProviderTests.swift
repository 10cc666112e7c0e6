import Foundation
import Synchronization
import TestSupport
import Testing

@testable import AWSClient

extension CredentialsSuite {
    @Suite struct ContainerCredentialProviderTests {
        static let expiry = Date(timeIntervalSince1970: 1_800_003_600)

        static func server() throws -> LoopbackHTTPServer {
            try LoopbackHTTPServer { _ in
                .respond(
                    status: 200,
                    body: metadataJSON(
                        keyId: "ASIAECSTASKKEY000001", secret: Secret.containerSecret, token: Secret.containerToken,
                        expiration: expiry, accountId: "444444444444"))
            }
        }

        func provider(_ environment: [String: String], base: String = "http://127.0.0.1:9") -> ContainerCredentialProvider {
            ContainerCredentialProvider(
                environment: environment, transport: loopbackTransport, relativeURIBase: base, retryDelay: .milliseconds(1))
        }

        @Test func relativeURIIsFetchedFromTheECSHostWithJSONAccept() async throws {
            let server = try Self.server()
            defer { server.stop() }
            let credentials = try await provider(
                ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc?x=1"], base: server.baseURL
            )
            .credentials()
            #expect(credentials.accessKeyId == "ASIAECSTASKKEY000001")
            #expect(credentials.secretAccessKey == Secret.containerSecret)
            #expect(credentials.sessionToken == Secret.containerToken)
            #expect(credentials.expiration == Self.expiry)
            #expect(credentials.accountId == "444444444444")
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(request.target == "/v2/credentials/abc?x=1")
            #expect(request.header("Accept") == "application/json")
            #expect(request.header("Authorization") == nil)
        }

        @Test func defaultRelativeBaseIsTheECSAgentAddress() {
            #expect(ContainerCredentialProvider.ecsEndpoint == "http://169.254.170.2")
        }

        @Test func relativeURIWinsOverFullURI() async throws {
            let server = try Self.server()
            defer { server.stop() }
            _ = try await provider(
                ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/rel", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/full"],
                base: server.baseURL
            ).credentials()
            #expect(server.requests.map(\.path) == ["/rel"])
        }

        @Test func fullURIOnLoopbackSendsAuthorizationToken() async throws {
            let server = try Self.server()
            defer { server.stop() }
            _ = try await provider([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/get-credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Basic static-token",
            ]).credentials()
            #expect(server.requests.first?.path == "/get-credentials")
            #expect(server.requests.first?.header("Authorization") == "Basic static-token")
        }

        @Test func tokenFileTakesPrecedenceAndIsReReadOnEveryFetch() async throws {
            let server = try Self.server()
            defer { server.stop() }
            let dir = try ScratchDirectory()
            let tokenFile = try dir.write("eks-pod-identity-token", "pod-token-1")
            let provider = provider([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/v1/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-when-file-set",
            ])
            _ = try await provider.credentials()
            try dir.write("eks-pod-identity-token", "pod-token-2")
            _ = try await provider.credentials()
            #expect(server.requests.map { $0.header("Authorization") } == ["pod-token-1", "pod-token-2"])
        }

        @Test(arguments: [
            "http://169.254.170.2/creds", "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials",
            "http://127.0.0.1:8080/c", "http://127.1.2.3/c", "http://[::1]:80/c", "http://localhost/c",
            "https://credentials.example.com/c",
        ])
        func fullURIAllowedHosts(url: String) throws {
            #expect(throws: Never.self) { try provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url]).endpointURLForTesting() }
        }

        @Test(arguments: ["http://169.254.169.254/latest/meta-data", "http://10.0.0.5/c", "http://evil.example.com/c", "ftp://127.0.0.1/c"])
        func fullURIOnDisallowedHostIsRejected(url: String) async throws {
            let error = try await #require(throws: CredentialsError.self) {
                try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url]).credentials()
            }
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
        }

        @Test func tokenWithLineBreakIsRejectedBeforeAnyRequest() async throws {
            let transport = RecordingTransport()
            func fetch(_ environment: [String: String]) async throws {
                _ = try await ContainerCredentialProvider(environment: environment, transport: transport).credentials()
            }
            let injected = try await #require(throws: CredentialsError.self) {
                try await fetch([
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/c",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "token\r\nX-Injected: 1",
                ])
            }
            #expect(injected.code == .invalidToken)
            let dir = try ScratchDirectory()
            let file = try dir.write("token", "pod-token\n")
            let trailingNewline = try await #require(throws: CredentialsError.self) {
                try await fetch([
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": file,
                ])
            }
            #expect(trailingNewline.code == .invalidToken)
            #expect(trailingNewline.message.contains(file))
            #expect(transport.urls.isEmpty)
        }

        @Test func serverErrorsAreRetriedThreeTimesThenReported() async throws {
            let server = try LoopbackHTTPServer { _ in .text(500, "agent restarting") }
            defer { server.stop() }
            let error = try await #require(throws: CredentialsError.self) {
                try await provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/c"], base: server.baseURL).credentials()
            }
            #expect(server.requests.count == 3)
            #expect(error.code == .endpointRejected)
            #expect(error.message.contains("HTTP 500: agent restarting"))
            #expect(error.message.contains("after 3 attempts"))
        }

        @Test func transientFailureRecoversOnRetry() async throws {
            let calls = Mutex(0)
            let server = try LoopbackHTTPServer { _ in
                let n = calls.withLock {
                    $0 += 1
                    return $0
                }
                return n == 1
                    ? .text(503, "busy")
                    : .respond(
                        status: 200,
                        body: metadataJSON(keyId: "ASIAOK", secret: Secret.containerSecret, token: "t", expiration: Self.expiry))
            }
            defer { server.stop() }
            let credentials = try await provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/c"], base: server.baseURL).credentials()
            #expect(credentials.accessKeyId == "ASIAOK")
            #expect(server.requests.count == 2)
        }

        @Test func unreachableEndpointSaysWhere() async throws {
            let error = try await #require(throws: CredentialsError.self) {
                try await provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/c"], base: "http://127.0.0.1:9").credentials()
            }
            #expect(error.code == .endpointUnreachable)
            #expect(error.message.contains("http://127.0.0.1:9/c unreachable"))
        }

        @Test func malformedJSONIsReportedWithoutEchoingTheBody() async throws {
            let server = try LoopbackHTTPServer { _ in
                .text(200, "{\"AccessKeyId\":\"ASIA\",\"SecretAccessKey\":\"\(Secret.containerSecret)\"}")
            }
            defer { server.stop() }
            let error = try await #require(throws: CredentialsError.self) {
                try await provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/c"], base: server.baseURL).credentials()
            }
            #expect(error.code == .malformedResponse)
            #expect(!leaksSecret(error.description))
        }
    }
}

extension ContainerCredentialProvider {
    /// Resolves and validates the URL without a request (the allow-list is the point).
    func endpointURLForTesting() throws {
        _ = try endpointURL()
    }
}
