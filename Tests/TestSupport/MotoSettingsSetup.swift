import AWSClient
import Foundation

/// What the settings and DNS step tests need moto to hold before a run — a secret, a hosted zone —
/// made with raw signed calls (the typed clients have no create operations: Cutover never
/// creates these). Each helper names its resources uniquely per test run.
extension MotoSwitchoverSetup {
    /// `CreateSecret` with a string value; returns the first version's ID.
    public static func createSecret(_ client: AWSClient, name: String, string: String) async throws -> String {
        struct Input: Encodable, Sendable {
            var Name: String
            var SecretString: String
        }
        struct Output: Decodable, Sendable { var VersionId: String }
        let secrets = client.service == .secretsManager ? client : client.with(service: .secretsManager)
        return try await secrets.json(operation: "CreateSecret", input: Input(Name: name, SecretString: string), output: Output.self)
            .VersionId
    }

    /// `CreateHostedZone` for `domain`; returns the zone ID without the `/hostedzone/` prefix.
    public static func createHostedZone(_ client: AWSClient, domain: String) async throws -> String {
        let route53 = client.service == .route53 ? client : client.with(service: .route53)
        var xml = XMLWriter()
        xml.start("CreateHostedZoneRequest", namespace: "https://route53.amazonaws.com/doc/2013-04-01/")
        xml.element("Name", domain)
        xml.element("CallerReference", UUID().uuidString)
        let response = try await route53.send(
            AWSRequest(
                operation: "CreateHostedZone", method: "POST", path: "/2013-04-01/hostedzone",
                headers: ["Content-Type": "application/xml"], body: xml.data, resource: domain))
        guard let id = try XMLNode.parse(response.body).path("HostedZone", "Id")?.trimmedText else {
            throw LoopbackError("CreateHostedZone answered without HostedZone/Id")
        }
        return id.split(separator: "/").last.map(String.init) ?? id
    }

    /// `PutParameter` (overwrite) of a value, before a run.
    public static func putParameter(_ client: AWSClient, name: String, value: String, type: String) async throws {
        struct Input: Encodable, Sendable {
            var Name: String
            var Value: String
            var `Type`: String
            var Overwrite: Bool
        }
        let ssm = client.service == .ssm ? client : client.with(service: .ssm)
        _ = try await ssm.json(operation: "PutParameter", input: Input(Name: name, Value: value, Type: type, Overwrite: true))
    }

    /// A DNS-safe unique label (lower-case letters and digits).
    public static func uniqueDomain(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max)).example.com"
    }
}
