import AWSClient
import Daemon
import Foundation
import Testing

/// `CredentialSourceFactory` and the endpoint settings: each configured source becomes the provider
/// it names, and problems say what to fix without ever printing a secret.
@Suite struct ConfigCredentialTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

    func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-cred-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func factory(_ environment: [String: String] = [:]) -> CredentialSourceFactory {
        CredentialSourceFactory(context: CredentialSourceContext(environment: environment))
    }

    @Test func fileSourceReadsKeyValueLines() async throws {
        let path = try temporaryFile(
            """
            # from LoadCredential=aws:/etc/cutover/aws-credentials
            AWS_ACCESS_KEY_ID=AKIDEXAMPLE
            export AWS_SECRET_ACCESS_KEY="\(Self.secret)"

            AWS_SESSION_TOKEN='token-value'
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let credentials = try await factory().provider(for: .file(path)).credentials()
        #expect(credentials.accessKeyId == "AKIDEXAMPLE")
        #expect(credentials.secretAccessKey == Self.secret)
        #expect(credentials.sessionToken == "token-value")
    }

    @Test func fileSourceErrorsNameTheFileAndNeverASecret() throws {
        let cases: [(String, String)] = [
            ("AWS_ACCESS_KEY_ID=AKIDEXAMPLE\n", "no AWS_SECRET_ACCESS_KEY"),
            ("AWS_ACCESS_KEY_ID=AKIDEXAMPLE\n\(Self.secret)\n", "line 2 is not KEY=VALUE"),
            ("AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nAWS_SECRET_KEY=\(Self.secret)\n", "line 2 sets an unknown key 'AWS_SECRET_KEY'"),
            (
                "AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nAWS_SECRET_ACCESS_KEY=\(Self.secret)\nAWS_SECRET_ACCESS_KEY=\(Self.secret)\n",
                "line 3 sets AWS_SECRET_ACCESS_KEY a second time"
            ),
        ]
        for (text, expected) in cases {
            let path = try temporaryFile(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                _ = try factory().provider(for: .file(path))
                Issue.record("accepted: \(expected)")
            } catch {
                let description = "\(error)"
                #expect(description.contains(path), "\(description)")
                #expect(description.contains(expected), "\(description)")
                #expect(!description.contains(Self.secret))
                #expect((error as? CredentialsError)?.code == .invalidConfiguration)
            }
        }
        let missing = "/nonexistent/cutover/aws"
        #expect(throws: CredentialsError.self) { try factory().provider(for: .file(missing)) }
        do {
            _ = try factory().provider(for: .file(missing))
        } catch {
            #expect("\(error)".contains("\(missing) does not exist"))
            #expect("\(error)".contains("LoadCredential="))
        }
    }

    @Test func environmentSourceReadsOnlyTheInjectedEnvironment() async throws {
        let provider = try factory(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secret]).provider(for: .environment)
        #expect(provider is EnvironmentCredentialProvider)
        #expect(try await provider.credentials().accessKeyId == "AKIDENV")
        let empty = try factory().provider(for: .environment)
        await #expect(throws: CredentialsError.self) { try await empty.credentials() }
    }

    @Test func containerSourceOutsideAContainerIsRefusedAtOnce() {
        do {
            _ = try factory().provider(for: .container)
            Issue.record("accepted")
        } catch {
            #expect((error as? CredentialsError)?.code == .notConfigured)
            #expect("\(error)".contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
        }
        let inECS = factory(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"])
        #expect((try? inECS.provider(for: .container)) is RefreshingCredentialProvider)
    }

    @Test func chainAndInstanceMetadataSources() throws {
        #expect(try factory().provider(for: .chain) is DefaultCredentialChain)
        #expect(try factory().provider(for: .instanceMetadata) is RefreshingCredentialProvider)
    }

    @Test func profileSourceUsesExactlyThatProfile() async throws {
        let config = try temporaryFile("[profile ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = \(Self.secret)\n")
        defer { try? FileManager.default.removeItem(atPath: config) }
        let environment = ["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials"]
        let provider = try factory(environment).provider(for: .profile("ops"))
        #expect(try await provider.credentials().accessKeyId == "AKIDOPS")
        #expect(throws: CredentialsError.self) { try factory(environment).provider(for: .profile("missing")) }
    }

    @Test func staticFactoryMethodsForTheDaemon() async throws {
        let provider = try CredentialSourceFactory.provider(
            for: .environment, environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": Self.secret])
        #expect(try await provider.credentials().accessKeyId == "AKIDENV")
        var topic = DaemonConfig.SNSTarget(topicArn: "arn:aws:sns:eu-west-1:111111111111:cutover")
        let client = try CredentialSourceFactory.snsClient(
            topic: topic, base: provider, endpoints: EndpointResolver(overrideURL: "http://127.0.0.1:1"))
        #expect(client.region == "eu-west-1")
        #expect(client.service.signingName == "sns")
        topic.region = "us-west-2"
        #expect(try CredentialSourceFactory.snsClient(topic: topic, base: provider, endpoints: EndpointResolver()).region == "us-west-2")
    }

    @Test func configuredEndpointsWinOverTheEnvironment() throws {
        let environment = [
            "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_ENDPOINT_URL_S3": "http://10.0.0.1:1",
            "AWS_ENDPOINT_URL_KMS": "http://10.0.0.2:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
        ]
        var aws = DaemonConfig.AWS()
        aws.endpointURL = "http://127.0.0.1:4566"
        aws.endpoints = ["s3": "http://127.0.0.1:9000/base"]
        let resolver = try aws.endpointResolver(environment: environment)
        #expect(try resolver.resolve(service: .s3, region: "eu-west-1").base == "http://127.0.0.1:9000")
        #expect(try resolver.resolve(service: .s3, region: "eu-west-1").basePath == "/base")
        #expect(try resolver.resolve(service: .kms, region: "eu-west-1").base == "http://127.0.0.1:4566")
        #expect(try resolver.resolve(service: SNSNotificationTarget.service, region: "eu-west-1").base == "http://127.0.0.1:4566")

        // Nothing configured: the SDKs' own rules, environment included.
        let standard = try DaemonConfig.AWS().endpointResolver(environment: [
            "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9999",
        ])
        #expect(try standard.resolve(service: .s3, region: "eu-west-1").base == "http://127.0.0.1:9999")
        #expect(try standard.resolve(service: .rds, region: "eu-west-1").base == "https://rds.eu-west-1.amazonaws.com")

        // Per-service only: other services keep AWS's endpoints.
        var onlyS3 = DaemonConfig.AWS()
        onlyS3.endpoints = ["s3": "http://127.0.0.1:9000"]
        let partial = try CredentialSourceFactory.endpoints(for: onlyS3, environment: ["AWS_CONFIG_FILE": "/nonexistent/config"])
        #expect(try partial.resolve(service: .sts, region: "eu-west-1").base == "https://sts.eu-west-1.amazonaws.com")

        // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS switches off the variables, never this file.
        let ignoring = try onlyS3.endpointResolver(environment: [
            "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
            "AWS_ENDPOINT_URL_KMS": "http://10.0.0.2:1",
        ])
        #expect(try ignoring.resolve(service: .s3, region: "eu-west-1").base == "http://127.0.0.1:9000")
        #expect(try ignoring.resolve(service: .kms, region: "eu-west-1").base == "https://kms.eu-west-1.amazonaws.com")
    }

    @Test func credentialSourceConfigFormsRoundTrip() {
        let sources: [DaemonConfig.CredentialSource] = [
            .chain, .environment, .container, .instanceMetadata, .profile("ops"), .file("/etc/aws"),
        ]
        for source in sources {
            #expect(DaemonConfig.CredentialSource(configValue: source.configValue) == source)
        }
        #expect(DaemonConfig.CredentialSource(configValue: "imds") == nil)
    }
}
