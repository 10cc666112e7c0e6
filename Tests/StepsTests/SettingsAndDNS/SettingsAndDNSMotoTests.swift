import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Issue 18: the secret, parameter and DNS switch-over steps through the real executor against
/// moto (signature checking on), forward and rolled back, reading each other's outputs; the DNS
/// zone lives in a third account reached by AssumeRole.
@Suite struct SettingsAndDNSMotoTests {
    static let legacyAlias = Route53RecordSet(
        name: "admin", type: "A",
        alias: Route53AliasTarget(hostedZoneId: "Z35SXDOTRQ7X7K", dnsName: "legacy-alb-9.us-east-1.elb.amazonaws.com"))

    static func oldRecord(_ world: SettingsMotoWorld) -> Route53RecordSet {
        var record = Self.legacyAlias
        record.name = "admin.\(world.domain)"
        return record
    }

    @Test func theSwitchOverWritesTheSecretParametersAndRecordsAndPublishesVersionIds() async throws {
        let world = try SettingsMotoWorld()
        let (firstVersion, zone) = try await world.seed(existingRecord: Self.oldRecord(world))
        let run = try await world.start(world.runbook(zone: zone, gate: false))
        let stop = await world.fixture.driver.drive(run)
        let failures = await SettingsMotoWorld.failures(run)
        #expect(stop == .finished(.completed), "\(failures)")
        let steps = await run.state.steps

        // The secret: a new version is AWSCURRENT, holding the merged keys and the old password.
        let versionId = try #require(steps["set-secret"]?.outputs["versionId"])
        #expect(versionId.count == 64)
        #expect(steps["set-secret"]?.outputs["previousVersionId"] == firstVersion)
        let described = try await world.secrets.describeSecret(world.secretId)
        #expect(described.version(holding: SecretStage.current) == versionId)
        let current = try #require(try await world.secrets.getSecretValue(world.secretId).string)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(current.utf8)) as? [String: Any])
        #expect(json["host"] as? String == "new-db.internal")
        #expect((json["port"] as? NSNumber)?.intValue == 5432, "a number stays a number")
        #expect(json["password"] as? String == world.password)
        #expect(json["username"] as? String == "admin")

        // The parameters: the plain one was created with the secret's ARN (an output), the
        // SecureString got a new version.
        let host = try await world.ssm.parameterHistory(world.parameter, withDecryption: false)
        #expect(host.map(\.version) == [1])
        #expect(host.last?.value == steps["set-secret"]?.outputs["arn"])
        #expect(steps["set-host"]?.outputs["previousVersion"] == "none")
        let url = try await world.ssm.parameterHistory(world.secureParameter, withDecryption: true)
        #expect(url.last?.value == world.newURL)
        #expect(steps["set-url"]?.outputs == ["version": "2", "previousVersion": "1"])

        // DNS in account B: the alias points at the product load balancer; the TXT record holds
        // the secret's version ID; both waits saw INSYNC.
        let route53 = try await world.route53B()
        let admin = try #require(try await route53.recordSet(zone: zone, name: "admin.\(world.domain)", type: "A"))
        #expect(admin.alias?.dnsName.hasPrefix("product-alb-1.") == true)
        let txt = try #require(try await route53.recordSet(zone: zone, name: "version.\(world.domain)", type: "TXT"))
        #expect(txt.values == ["\"\(versionId)\""])
        #expect(steps["switch-dns.wait"]?.outputs["status"] == "INSYNC")
        #expect(steps["switch-dns.upsert"]?.outputs["changeId"]?.isEmpty == false)
        let previous = try #require(steps["switch-dns.read"]?.outputs["previous"])
        #expect(previous.contains("legacy-alb-9"), "the record set before the change is journaled for undo")
        #expect(steps["mark-version.read"]?.outputs["previous"] == "none")
    }

    @Test func rollbackMovesCurrentBackRestoresParametersAndRecords() async throws {
        let world = try SettingsMotoWorld()
        let (firstVersion, zone) = try await world.seed(existingRecord: Self.oldRecord(world))
        let run = try await world.start(world.runbook(zone: zone))
        let stop = await world.fixture.driver.drive(run, onIdle: SettingsMotoWorld.rollBackAtTheGate)
        let failures = await SettingsMotoWorld.failures(run)
        #expect(stop == .finished(.rolledBack), "\(failures)")
        let steps = await run.state.steps
        for id in ["set-secret", "set-host", "set-url", "switch-dns.upsert", "mark-version.upsert"] {
            #expect(steps[id]?.undone == true, "\(id) was not undone")
        }
        try await expectRestored(world, firstVersion: firstVersion, zone: zone)
    }

    /// The end state of every rollback: the secret's AWSCURRENT back on its first version (by
    /// label, not by writing the old value again), the SecureString's old value written back from
    /// its history, the parameter the run created deleted, the old alias back and the new TXT
    /// record gone.
    func expectRestored(_ world: SettingsMotoWorld, firstVersion: String, zone: String, context: String = "") async throws {
        let described = try await world.secrets.describeSecret(world.secretId)
        #expect(described.version(holding: SecretStage.current) == firstVersion, "\(context)")
        #expect(described.versionStages.count == 2, "\(context): one version written, none more: \(described.versionStages)")
        #expect(try await world.secrets.getSecretValue(world.secretId).string == world.originalSecret, "\(context)")
        let url = try await world.ssm.parameterHistory(world.secureParameter, withDecryption: true)
        #expect(url.last?.value == world.oldSecure, "\(context)")
        #expect(url.last?.type == .secureString, "\(context)")
        #expect(url.count == 3, "\(context): written once, restored once: \(url.map(\.version))")
        let host = await #expect(throws: AWSError.self, "\(context)") {
            try await world.ssm.parameterHistory(world.parameter, withDecryption: false)
        }
        #expect(host.map { $0.code == .parameterNotFound } == true, "\(context)")
        let route53 = try await world.route53B()
        let admin = try await route53.recordSet(zone: zone, name: "admin.\(world.domain)", type: "A")
        #expect(admin?.matches(Self.oldRecord(world)) == true, "\(context): \(String(describing: admin))")
        #expect(try await route53.recordSet(zone: zone, name: "version.\(world.domain)", type: "TXT") == nil, "\(context)")
    }
}
