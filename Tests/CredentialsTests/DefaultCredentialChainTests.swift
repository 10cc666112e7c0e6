import AWSClient
import Foundation
import TestSupport
import Testing

extension CredentialsSuite {
    @Suite struct DefaultCredentialChainTests {
        static let expiry = Date(timeIntervalSince1970: 1_800_003_600)
        let dir: ScratchDirectory

        init() throws { dir = try ScratchDirectory() }

        /// An environment that can only see this test's files (never the real ~/.aws).
        func environment(_ extra: [String: String] = [:], config: String? = nil, credentials: String? = nil) throws -> [String: String] {
            var environment = [
                "HOME": dir.path, "AWS_CONFIG_FILE": dir.path + "/config", "AWS_SHARED_CREDENTIALS_FILE": dir.path + "/credentials",
            ]
            if let config { try dir.write("config", config) }
            if let credentials { try dir.write("credentials", credentials) }
            environment.merge(extra) { _, new in new }
            return environment
        }

        static let staticProfile = "[default]\naws_access_key_id = AKIAFILEKEY000000001\naws_secret_access_key = \(Secret.fileSecret)\n"

        @Test func environmentComesFirst() async throws {
            let chain = DefaultCredentialChain(
                context: testContext(
                    environment: try environment(
                        ["AWS_ACCESS_KEY_ID": "AKIAENVKEY0000000001", "AWS_SECRET_ACCESS_KEY": Secret.envSecret],
                        credentials: Self.staticProfile)))
            #expect(try await chain.credentials().accessKeyId == "AKIAENVKEY0000000001")
            #expect(await chain.selectedSource == "environment")
        }

        @Test func explicitProfileSkipsTheEnvironment() async throws {
            let chain = DefaultCredentialChain(
                profile: "default",
                context: testContext(
                    environment: try environment(
                        ["AWS_ACCESS_KEY_ID": "AKIAENVKEY0000000001", "AWS_SECRET_ACCESS_KEY": Secret.envSecret],
                        credentials: Self.staticProfile)))
            #expect(try await chain.credentials().accessKeyId == "AKIAFILEKEY000000001")
        }

        @Test func plainHostWithOnlySharedFilesUsesProfileKeys() async throws {
            let chain = DefaultCredentialChain(context: testContext(environment: try environment(credentials: Self.staticProfile)))
            #expect(try await chain.credentials().accessKeyId == "AKIAFILEKEY000000001")
            #expect(await chain.selectedSource == "profile 'default': static keys AKIAFILEKEY000000001")
        }

        @Test func awsProfileSelectsTheProfile() async throws {
            let chain = DefaultCredentialChain(
                context: testContext(
                    environment: try environment(
                        ["AWS_PROFILE": "blue"],
                        credentials: "[blue]\naws_access_key_id = AKIABLUE\naws_secret_access_key = \(Secret.fileSecret)\n")))
            #expect(try await chain.credentials().accessKeyId == "AKIABLUE")
        }

        @Test func webIdentityFromEnvironmentComesBeforeProfileStaticKeys() async throws {
            let sts = try LoopbackHTTPServer { _ in .text(200, webIdentityResponseXML(expiration: Self.expiry)) }
            defer { sts.stop() }
            let token = try dir.write("token", "eyJ.jwt")
            let chain = DefaultCredentialChain(
                context: testContext(
                    environment: try environment(
                        ["AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::333333333333:role/CutoverIRSA"],
                        credentials: Self.staticProfile),
                    sts: sts))
            #expect(try await chain.credentials().accessKeyId == "ASIAWEBIDENTITYKEY01")
        }

        @Test func assumeRoleProfileReachesSTSThroughItsServicesSection() async throws {
            let sts = try LoopbackHTTPServer { _ in .text(200, assumeRoleResponseXML(expiration: Self.expiry)) }
            defer { sts.stop() }
            let config = """
                [default]
                role_arn = arn:aws:iam::222222222222:role/CutoverTarget
                source_profile = base
                region = ap-northeast-1
                services = local
                [services local]
                sts =
                  endpoint_url = \(sts.baseURL)
                """
            var context = testContext(
                environment: try environment(
                    config: config,
                    credentials: "[base]\naws_access_key_id = AKIABASE000000000001\naws_secret_access_key = \(Secret.fileSecret)\n"))
            context.region = nil
            context.endpoints = nil
            let chain = DefaultCredentialChain(context: context)
            #expect(try await chain.credentials().accessKeyId == "ASIAASSUMEDROLEKEY01")
            let authorization = try #require(sts.requests.first?.header("Authorization"))
            #expect(authorization.contains("Credential=AKIABASE000000000001/"))
            #expect(authorization.contains("/ap-northeast-1/sts/aws4_request"), "the profile's region picks the STS region")
        }

        @Test func onECSWithOnlyContainerVariablesUsesTheContainerEndpoint() async throws {
            let container = try LoopbackHTTPServer { _ in
                .respond(
                    status: 200,
                    body: metadataJSON(
                        keyId: "ASIAECSTASKKEY000001", secret: Secret.containerSecret, token: Secret.containerToken, expiration: Self.expiry
                    ))
            }
            defer { container.stop() }
            let transport = RecordingTransport()
            var context = testContext(
                environment: try environment(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task"]),
                imdsEndpoint: "http://127.0.0.1:9", containerBase: container.baseURL)
            context.metadataTransport = transport
            let chain = DefaultCredentialChain(context: context)
            #expect(try await chain.credentials().accessKeyId == "ASIAECSTASKKEY000001")
            #expect(await chain.selectedSource == "container")
            #expect(transport.urls == [container.baseURL + "/v2/credentials/task"], "IMDS is never asked")
        }

        @Test func onEC2WithOnlyIMDSUsesInstanceMetadata() async throws {
            let imds = try LoopbackHTTPServer(handler: imdsHandler(expiration: Self.expiry))
            defer { imds.stop() }
            let chain = DefaultCredentialChain(context: testContext(environment: try environment(), imdsEndpoint: imds.baseURL))
            #expect(try await chain.credentials().accessKeyId == "ASIAIMDSROLEKEY00001")
            #expect(await chain.selectedSource == "IMDS")
            // Cached: a second call does not go back to IMDS.
            _ = try await chain.credentials()
            #expect(imds.requests.count == 3)
        }

        @Test func nothingAnywhereListsEverySourceTriedInOrder() async throws {
            let chain = DefaultCredentialChain(context: testContext(environment: try environment(), imdsEndpoint: "http://127.0.0.1:9"))
            let error = try await #require(throws: CredentialsError.self) { try await chain.credentials() }
            #expect(error.code == .noCredentials)
            #expect(error.tried.map(\.source) == ["environment", "profile 'default'", "web identity", "container", "IMDS"])
            let text = error.description
            #expect(text.contains("environment: no AWS_ACCESS_KEY_ID"))
            #expect(
                text.contains(
                    "profile 'default': no profile 'default' in \(dir.path)/config (no such file) or \(dir.path)/credentials (no such file)"
                ))
            #expect(text.contains("web identity: AWS_WEB_IDENTITY_TOKEN_FILE unset"))
            #expect(text.contains("container: not on ECS (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI unset)"))
            #expect(text.contains("IMDS: IMDS unreachable at http://127.0.0.1:9"))
            #expect(text.contains("[NoCredentials]"))
        }

        @Test func disabledIMDSIsNotedInTheCombinedError() async throws {
            let chain = DefaultCredentialChain(context: testContext(environment: try environment(["AWS_EC2_METADATA_DISABLED": "true"])))
            let error = try await #require(throws: CredentialsError.self) { try await chain.credentials() }
            #expect(error.code == .noCredentials)
            #expect(error.tried.last == .init(source: "IMDS", code: .disabled, reason: "disabled by AWS_EC2_METADATA_DISABLED=true"))
        }

        @Test func configuredContainerThatFailsStopsTheSearchBeforeIMDS() async throws {
            let transport = RecordingTransport()
            var context = testContext(environment: try environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.1.2.3/creds"]))
            context.metadataTransport = transport
            let chain = DefaultCredentialChain(context: context)
            let error = try await #require(throws: CredentialsError.self) { try await chain.credentials() }
            #expect(error.code == .invalidConfiguration)
            #expect(error.source == "container")
            #expect(error.tried.map(\.source) == ["environment", "profile 'default'", "web identity", "container"])
            #expect(transport.urls.isEmpty, "a broken container setup must not fall through to the instance role")
        }

        @Test func partialEnvironmentKeysStopTheSearch() async throws {
            let chain = DefaultCredentialChain(
                context: testContext(
                    environment: try environment(
                        ["AWS_ACCESS_KEY_ID": "AKIAENV"], credentials: Self.staticProfile)))
            let error = try await #require(throws: CredentialsError.self) { try await chain.credentials() }
            #expect(error.code == .partialCredentials)
        }

        @Test func missingNamedProfileIsAnErrorNotAFallThrough() async throws {
            let chain = DefaultCredentialChain(
                context: testContext(
                    environment: try environment(
                        ["AWS_PROFILE": "prod"], credentials: Self.staticProfile)))
            let error = try await #require(throws: CredentialsError.self) { try await chain.credentials() }
            #expect(error.code == .profileNotFound)
            #expect(error.message.contains("profiles there: default"))
        }

        @Test func configSyntaxErrorStopsTheSearchWithFileAndLine() async throws {
            let chain = DefaultCredentialChain(context: testContext(environment: try environment(config: "[default]\n= oops\n")))
            let error = try await #require(throws: CredentialsError.self) { try await chain.credentials() }
            #expect(error.code == .configFileSyntax)
            #expect(error.message.hasPrefix("\(dir.path)/config:2: "))
        }

        @Test func concurrentFirstCallersShareOneSearch() async throws {
            let imds = try LoopbackHTTPServer(handler: imdsHandler(expiration: Self.expiry))
            defer { imds.stop() }
            let chain = DefaultCredentialChain(context: testContext(environment: try environment(), imdsEndpoint: imds.baseURL))
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await chain.credentials().accessKeyId } }
                for try await key in group { #expect(key == "ASIAIMDSROLEKEY00001") }
            }
            #expect(imds.requests.filter { $0.method == "PUT" }.count == 1)
        }
    }
}
