import AWSServices
import Foundation
import TestSupport
import Testing

/// DescribeSecret, GetSecretValue, PutSecretValue (idempotent by ClientRequestToken) and
/// UpdateSecretVersionStage against moto with signature checking, through our own client.
@Suite struct SecretsManagerConformanceTests {
    @Test func putIsIdempotentByTokenAndUpdateStageMovesCurrentBack() async throws {
        let moto = try MotoFixture.load()
        let client = moto.clientA(.secretsManager)
        let secrets = SecretsManagerClient(client: client)
        let name = "cutover-conformance/\(MotoFixture.uniqueName("db"))"
        let original = #"{"host":"old-db.internal","password":"p@ss/word","port":3306}"#
        let first = try await MotoSwitchoverSetup.createSecret(client, name: name, string: original)

        let described = try await secrets.describeSecret(name)
        #expect(described.version(holding: SecretStage.current) == first)
        #expect(described.arn?.hasPrefix("arn:aws:secretsmanager:\(moto.region):\(moto.accountA):secret:") == true)
        let current = try await secrets.getSecretValue(name)
        #expect(current.versionId == first && current.string == original && !current.isBinary)

        let token = String(repeating: "c", count: 32) + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let updated = #"{"host":"new-db.internal","password":"p@ss/word","port":3306}"#
        let written = try await secrets.putSecretValue(name, string: updated, token: token)
        #expect(written.versionId == token)
        #expect(written.versionStages == [SecretStage.current])
        // The same token with the same string: the same version, nothing new written.
        #expect(try await secrets.putSecretValue(name, string: updated, token: token).versionId == token)
        // The same token with another string: refused.
        let reused = await #expect(throws: AWSError.self) { try await secrets.putSecretValue(name, string: "{}", token: token) }
        #expect(reused.map { $0.code == .resourceExists } == true)
        #expect(reused?.description.contains(updated) == false)

        let after = try await secrets.describeSecret(name)
        #expect(after.version(holding: SecretStage.current) == token)
        #expect(after.version(holding: SecretStage.previous) == first)
        #expect(try await secrets.getSecretValue(name).string == updated)

        let requestId = try await secrets.updateSecretVersionStage(name, stage: SecretStage.current, moveTo: first, removeFrom: token)
        #expect(requestId?.isEmpty == false)
        let undone = try await secrets.describeSecret(name)
        #expect(undone.version(holding: SecretStage.current) == first)
        #expect(try await secrets.getSecretValue(name, stage: SecretStage.current).string == original)

        let missing = await #expect(throws: AWSError.self) { try await secrets.describeSecret("cutover-conformance/no-such-secret") }
        #expect(missing.map { $0.code == .resourceNotFound } == true)
        #expect(missing?.operation == "DescribeSecret" && missing?.resource == "cutover-conformance/no-such-secret")
        #expect(missing?.requestId?.isEmpty == false)
    }
}
