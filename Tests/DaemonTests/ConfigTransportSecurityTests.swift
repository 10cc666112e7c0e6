import AWSClient
import Daemon
import Foundation
import Testing

/// Issue 9: nothing in the configuration can send AWS traffic in clear text across a network or
/// switch TLS verification off. Plain http:// is refused for any endpoint that is not this machine
/// (the file's keys at load, with file:line:col; the AWS_ENDPOINT_URL* variables at start), and a
/// key that looks like a verification switch is an unknown key like any other.
@Suite struct ConfigTransportSecurityTests {
    let loader = DaemonConfigLoader(environment: ["STATE_DIRECTORY": "/var/lib/cutover"])

    func problems(_ yaml: String) -> [ConfigDiagnostic] {
        do {
            _ = try loader.load(text: yaml, file: "cutoverd.yaml")
            Issue.record("expected the configuration to be refused:\n\(yaml)")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func plainHTTPToAnotherHostIsRefusedNamingTheKeyAndPosition() {
        let catchAll = problems("aws:\n  endpointURL: http://10.0.0.5:4566\n")
        #expect(catchAll.map(\.code) == ["insecure-url"])
        #expect(
            catchAll.first?.description.hasPrefix("cutoverd.yaml:2:16: error: 'aws.endpointURL' is plain http to 10.0.0.5") == true,
            "\(catchAll.map(\.description))")
        #expect(catchAll.first?.hint?.contains("https://") == true)

        let perService = problems("aws:\n  endpoints:\n    s3: https://s3.example.com\n    sts: http://sts.example.com\n")
        #expect(perService.map(\.code) == ["insecure-url"])
        #expect(
            perService.first?.description.hasPrefix("cutoverd.yaml:4:10: error: 'aws.endpoints.sts' is plain http to sts.example.com")
                == true,
            "\(perService.map(\.description))")
    }

    @Test func plainHTTPToThisMachineAndHTTPSAnywhereAreAccepted() throws {
        for url in ["http://127.0.0.1:4566", "http://[::1]:4566", "http://localhost:4566", "https://s3.eu-west-1.amazonaws.com"] {
            let config = try loader.load(text: "aws:\n  endpointURL: \(url)\n  endpoints: { s3: \"\(url)\" }\n", file: "cutoverd.yaml")
            #expect(config.aws.endpointURL == url)
        }
    }

    @Test func verificationSwitchesAreUnknownKeys() {
        for (section, key) in [
            ("aws", "verifySSL"), ("aws", "insecure"), ("aws", "tlsVerify"), ("aws", "caBundle"), ("aws", "skipTLSVerify"),
        ] {
            let found = problems("\(section):\n  \(key): false\n")
            #expect(found.map(\.code) == ["unknown-key"], "\(key): \(found.map(\.description))")
            #expect(found.first?.location.line == 2)
        }
        let topLevel = problems("insecureSkipVerify: true\n")
        #expect(topLevel.map(\.code) == ["unknown-key"])
    }

    @Test func plainHTTPEndpointVariablesToAnotherHostStopTheStart() throws {
        let aws = DaemonConfig.AWS()
        let base = ["AWS_CONFIG_FILE": "/nonexistent/config"]
        #expect(throws: CredentialsError.self) {
            _ = try CredentialSourceFactory.endpoints(
                for: aws, environment: base.merging(["AWS_ENDPOINT_URL_STS": "http://10.0.0.1:1"]) { a, _ in a })
        }
        let refusal = #expect(throws: CredentialsError.self) {
            _ = try CredentialSourceFactory.endpoints(
                for: aws, environment: base.merging(["AWS_ENDPOINT_URL": "http://proxy.corp:80"]) { a, _ in a })
        }
        #expect(refusal.map { "\($0)" }?.contains("AWS_ENDPOINT_URL is plain http to proxy.corp") == true, "\(String(describing: refusal))")
        _ = try CredentialSourceFactory.endpoints(
            for: aws, environment: base.merging(["AWS_ENDPOINT_URL": "http://127.0.0.1:4566"]) { a, _ in a })
        _ = try CredentialSourceFactory.endpoints(
            for: aws, environment: base.merging(["AWS_ENDPOINT_URL_S3": "https://s3.example.com"]) { a, _ in a })
    }

    @Test func plainHTTPEndpointsInTheSharedConfigFileStopTheStartToo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("endpoints-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config").path
        let aws = DaemonConfig.AWS()
        func endpoints(_ text: String, _ extra: [String: String] = [:]) throws -> EndpointResolver {
            try text.write(toFile: config, atomically: true, encoding: .utf8)
            return try CredentialSourceFactory.endpoints(for: aws, environment: ["AWS_CONFIG_FILE": config].merging(extra) { a, _ in a })
        }
        let global = #expect(throws: CredentialsError.self) {
            _ = try endpoints("[default]\nendpoint_url = http://proxy.corp:8080\n")
        }
        #expect(
            global.map { "\($0)" }?.contains("endpoint_url in \(config) is plain http to proxy.corp") == true,
            "\(String(describing: global))")
        let service = #expect(throws: CredentialsError.self) {
            _ = try endpoints("[default]\nservices = corp\n[services corp]\ns3 =\n  endpoint_url = http://10.1.2.3:9000\n")
        }
        #expect(service.map { "\($0)" }?.contains("services s3 endpoint_url") == true, "\(String(describing: service))")
        // Loopback and https are fine; so is anything when the switch turns profile endpoints off.
        _ = try endpoints("[default]\nendpoint_url = http://127.0.0.1:4566\n")
        _ = try endpoints("[default]\nendpoint_url = https://s3.example.com\n")
        _ = try endpoints("[default]\nendpoint_url = http://proxy.corp:8080\n", ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"])
    }
}
