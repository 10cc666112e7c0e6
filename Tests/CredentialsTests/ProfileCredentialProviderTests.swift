import AWSClient
import Foundation
import TestSupport
import Testing

extension CredentialsSuite {
    @Suite struct ProfileCredentialProviderTests {
        static let expiry = Date(timeIntervalSince1970: 1_800_003_600)

        @Test func roleArnWithSourceProfileAssumesRoleSignedWithSourceKeys() async throws {
            let sts = try LoopbackHTTPServer { _ in .text(200, assumeRoleResponseXML(expiration: Self.expiry)) }
            defer { sts.stop() }
            let files = try AWSConfigFiles(
                config: """
                    [profile target]
                    role_arn = arn:aws:iam::222222222222:role/CutoverTarget
                    source_profile = base
                    external_id = ext-7f3a
                    role_session_name = cutover-admin-console
                    duration_seconds = 3600
                    """,
                credentials: "[base]\naws_access_key_id = AKIABASE000000000001\naws_secret_access_key = \(Secret.fileSecret)\n")

            let provider = try ProfileCredentialProvider(profile: "target", files: files, context: testContext(environment: [:], sts: sts))
            #expect(provider.resolution == "AssumeRole arn:aws:iam::222222222222:role/CutoverTarget via source_profile 'base'")
            let credentials = try await provider.credentials()

            #expect(credentials.accessKeyId == "ASIAASSUMEDROLEKEY01")
            #expect(credentials.secretAccessKey == Secret.stsSecret)
            #expect(credentials.sessionToken == Secret.stsToken)
            #expect(credentials.expiration == Self.expiry)
            #expect(credentials.accountId == "222222222222")

            let request = try #require(sts.requests.first)
            #expect(request.method == "POST")
            let form = formFields(request.body)
            #expect(form["Action"] == "AssumeRole")
            #expect(form["Version"] == "2011-06-15")
            #expect(form["RoleArn"] == "arn:aws:iam::222222222222:role/CutoverTarget")
            #expect(form["ExternalId"] == "ext-7f3a")
            #expect(form["RoleSessionName"] == "cutover-admin-console")
            #expect(form["DurationSeconds"] == "3600")
            let authorization = try #require(request.header("Authorization"))
            #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIABASE000000000001/"))
            #expect(authorization.contains("/eu-west-1/sts/aws4_request"))
            #expect(!authorization.contains(Secret.fileSecret))
        }

        @Test func chainedSourceProfilesAssumeEachRoleInTurn() async throws {
            let sts = try LoopbackHTTPServer { request in
                let role = formFields(request.body)["RoleArn"] ?? ""
                let key = role.hasSuffix("/Hop") ? "ASIAHOPKEY0000000001" : "ASIAFINALKEY00000001"
                return .text(200, assumeRoleResponseXML(keyId: key, expiration: Self.expiry))
            }
            defer { sts.stop() }
            let files = try AWSConfigFiles(
                config: """
                    [profile final]
                    role_arn = arn:aws:iam::222222222222:role/Final
                    source_profile = hop
                    [profile hop]
                    role_arn = arn:aws:iam::111111111111:role/Hop
                    source_profile = base
                    """,
                credentials: "[base]\naws_access_key_id = AKIABASE000000000001\naws_secret_access_key = \(Secret.fileSecret)\n")
            let provider = try ProfileCredentialProvider(profile: "final", files: files, context: testContext(environment: [:], sts: sts))
            #expect(try await provider.credentials().accessKeyId == "ASIAFINALKEY00000001")
            let signers = sts.requests.compactMap { $0.header("Authorization") }
            #expect(signers.count == 2)
            #expect(signers[0].contains("Credential=AKIABASE000000000001/"), "the hop is signed by the base keys")
            #expect(signers[1].contains("Credential=ASIAHOPKEY0000000001/"), "the final role is signed by the hop's session")
        }

        @Test func credentialSourceEcsContainerSignsWithContainerCredentials() async throws {
            let container = try LoopbackHTTPServer { _ in
                .respond(
                    status: 200,
                    body: metadataJSON(
                        keyId: "ASIAECSTASKKEY000001", secret: Secret.containerSecret, token: Secret.containerToken, expiration: Self.expiry
                    ))
            }
            let sts = try LoopbackHTTPServer { _ in .text(200, assumeRoleResponseXML(expiration: Self.expiry)) }
            defer {
                container.stop()
                sts.stop()
            }
            let files = try AWSConfigFiles(
                config: "[default]\nrole_arn = arn:aws:iam::222222222222:role/CutoverTarget\ncredential_source = EcsContainer\n",
                credentials: nil)
            let context = testContext(
                environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-1"], sts: sts,
                containerBase: container.baseURL)
            let provider = try ProfileCredentialProvider(profile: "default", files: files, context: context)
            #expect(try await provider.credentials().accessKeyId == "ASIAASSUMEDROLEKEY01")
            #expect(container.requests.map(\.path) == ["/v2/credentials/task-1"])
            let authorization = try #require(sts.requests.first?.header("Authorization"))
            #expect(authorization.contains("Credential=ASIAECSTASKKEY000001/"))
            #expect(sts.requests.first?.header("X-Amz-Security-Token") == Secret.containerToken)
        }

        @Test func roleArnWithBothSourcesIsAnError() throws {
            let files = try AWSConfigFiles(
                config: "[profile x]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = y\ncredential_source = Environment\n",
                configFilePath: "/c", credentials: nil)
            let error = try #require(throws: CredentialsError.self) {
                try ProfileCredentialProvider(profile: "x", files: files, context: testContext(environment: [:]))
            }
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("profile 'x' (/c:1) sets both source_profile and credential_source"))
        }

        @Test func roleArnWithoutAnySourceIsAnError() throws {
            let files = try AWSConfigFiles(config: "[profile x]\nrole_arn = arn:aws:iam::1:role/R\n", credentials: nil)
            let error = try #require(throws: CredentialsError.self) {
                try ProfileCredentialProvider(profile: "x", files: files, context: testContext(environment: [:]))
            }
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("neither source_profile nor credential_source"))
        }

        @Test func unknownCredentialSourceIsAnErrorListingValidOnes() throws {
            let files = try AWSConfigFiles(
                config: "[profile x]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Ec2Metadata\n", credentials: nil)
            let error = try #require(throws: CredentialsError.self) {
                try ProfileCredentialProvider(profile: "x", files: files, context: testContext(environment: [:]))
            }
            #expect(error.message.contains("Environment, Ec2InstanceMetadata, EcsContainer"))
        }

        @Test func sourceProfileCycleIsDetected() throws {
            let files = try AWSConfigFiles(
                config: """
                    [profile a]
                    role_arn = arn:aws:iam::1:role/A
                    source_profile = b
                    [profile b]
                    role_arn = arn:aws:iam::1:role/B
                    source_profile = a
                    """, credentials: nil)
            let error = try #require(throws: CredentialsError.self) {
                try ProfileCredentialProvider(profile: "a", files: files, context: testContext(environment: [:]))
            }
            #expect(error.code == .sourceProfileCycle)
            #expect(error.message.contains("a → b → a"))
        }

        @Test func selfReferencingProfileWithStaticKeysSignsItsOwnAssumeRole() async throws {
            let sts = try LoopbackHTTPServer { _ in .text(200, assumeRoleResponseXML(expiration: Self.expiry)) }
            defer { sts.stop() }
            let files = try AWSConfigFiles(
                config: nil,
                credentials: """
                    [self]
                    aws_access_key_id = AKIASELF000000000001
                    aws_secret_access_key = \(Secret.fileSecret)
                    role_arn = arn:aws:iam::222222222222:role/R
                    source_profile = self
                    """)
            let provider = try ProfileCredentialProvider(profile: "self", files: files, context: testContext(environment: [:], sts: sts))
            #expect(try await provider.credentials().accessKeyId == "ASIAASSUMEDROLEKEY01")
            #expect(sts.requests.first?.header("Authorization")?.contains("Credential=AKIASELF000000000001/") == true)
        }

        @Test func missingSourceProfileIsProfileNotFound() throws {
            let files = try AWSConfigFiles(
                config: "[profile x]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = ghost\n", credentials: nil)
            let error = try #require(throws: CredentialsError.self) {
                try ProfileCredentialProvider(profile: "x", files: files, context: testContext(environment: [:]))
            }
            #expect(error.code == .profileNotFound)
            #expect(error.message.contains("source_profile 'ghost'"))
        }

        @Test func stsErrorCarriesCodeRequestIdAndHint() async throws {
            let sts = try LoopbackHTTPServer { _ in
                .text(
                    403,
                    """
                    <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error>
                      <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
                    </ErrorResponse>
                    """)
            }
            defer { sts.stop() }
            let provider = AssumeRoleCredentialProvider(
                .init(roleArn: "arn:aws:iam::222222222222:role/CutoverTarget"),
                source: StaticCredentialProvider(.init(accessKeyId: "AKIASRC", secretAccessKey: Secret.fileSecret)),
                region: "eu-west-1", transport: loopbackTransport, endpoints: EndpointResolver(overrideURL: sts.baseURL),
                retry: .disabled)
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .stsError)
            #expect(error.requestId == "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE")
            #expect(error.message.contains("AccessDenied"))
            #expect(error.message.contains("trust policy"))
            #expect(!leaksSecret(error.description))
        }

        @Test func assumeRoleSendsSourceIdentitySessionTagsAndTransitiveKeys() async throws {
            let sts = try LoopbackHTTPServer { _ in .text(200, assumeRoleResponseXML(expiration: Self.expiry)) }
            defer { sts.stop() }
            let provider = AssumeRoleCredentialProvider(
                .init(
                    roleArn: "arn:aws:iam::222222222222:role/CutoverTarget", sessionName: "s", sourceIdentity: "ops-oncall",
                    tags: [.init(key: "run", value: "admin-console"), .init(key: "team", value: "popinfo")],
                    transitiveTagKeys: ["run"]),
                source: StaticCredentialProvider(.init(accessKeyId: "AKIASRC", secretAccessKey: Secret.fileSecret)),
                region: "eu-west-1", transport: loopbackTransport, endpoints: EndpointResolver(overrideURL: sts.baseURL))
            _ = try await provider.credentials()
            let form = formFields(try #require(sts.requests.first).body)
            #expect(form["SourceIdentity"] == "ops-oncall")
            #expect(form["Tags.member.1.Key"] == "run")
            #expect(form["Tags.member.1.Value"] == "admin-console")
            #expect(form["Tags.member.2.Key"] == "team")
            #expect(form["Tags.member.2.Value"] == "popinfo")
            #expect(form["TransitiveTagKeys.member.1"] == "run")
            #expect(form["ExternalId"] == nil)
        }
    }
}
