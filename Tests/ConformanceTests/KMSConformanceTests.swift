import AWSServices
import Foundation
import TestSupport
import Testing

/// DescribeKey, GetKeyPolicy, ListAliases and CreateGrant against moto, in A and in B.
/// (moto reports every key — `aws/rds` included — as `CUSTOMER`, so the AWS-managed distinction
/// is pinned by the unit tests, not here.)
@Suite struct KMSConformanceTests {
    @Test func keyOperationsInAccountA() async throws {
        let moto = try MotoFixture.load()
        try await exerciseKeyOperations(moto.clientA(.kms), account: moto.accountA, grantee: "arn:aws:iam::\(moto.accountB):root")
    }

    @Test func keyOperationsInAccountBViaAssumeRole() async throws {
        let moto = try MotoFixture.load()
        try await exerciseKeyOperations(try await moto.clientB(.kms), account: moto.accountB, grantee: "arn:aws:iam::\(moto.accountA):root")
    }

    func exerciseKeyOperations(_ client: AWSClient, account: String, grantee: String) async throws {
        let kms = KMSClient(client: client)
        let keyArn = try await MotoRDSSetup.createKey(client, description: "cutover conformance")
        let alias = "alias/\(MotoFixture.uniqueName("cutover-key"))"
        struct CreateAlias: Encodable, Sendable {
            var AliasName: String
            var TargetKeyId: String
        }
        _ = try await client.json(operation: "CreateAlias", input: CreateAlias(AliasName: alias, TargetKeyId: keyArn))

        let byAlias = try await kms.describeKey(keyId: alias)
        #expect(byAlias.arn == keyArn)
        #expect(byAlias.keyManager == .customer && !byAlias.isAWSManaged)
        #expect(byAlias.awsAccountId == account)
        #expect(byAlias.keyState == "Enabled" && byAlias.enabled == true)
        #expect(byAlias.creationDate != nil)
        #expect(try await kms.describeKey(keyId: keyArn).keyId == byAlias.keyId)
        // The default RDS key resolves (moto creates it on first use).
        #expect(try await kms.describeKey(keyId: "alias/aws/rds").keyId.isEmpty == false)

        let policy = try await kms.getKeyPolicy(keyId: byAlias.keyId)
        #expect(policy.policy.contains("kms:*"))
        #expect(policy.policyName == "default")

        let aliases = try await kms.listAllAliases()
        #expect(aliases.contains { $0.aliasName == alias && $0.targetKeyId == byAlias.keyId })
        let ofKey = try await kms.listAllAliases(keyId: byAlias.keyId)
        #expect(ofKey.map(\.aliasName) == [alias])

        let grant = try await kms.createGrant(
            .init(keyId: keyArn, granteePrincipal: grantee, operations: KMSGrantOperation.rdsSnapshotCopy, name: "cutover-conformance"))
        #expect(!grant.grantId.isEmpty && !grant.grantToken.isEmpty)

        let missing = await #expect(throws: AWSError.self) { try await kms.describeKey(keyId: "alias/cutover-no-such-key") }
        #expect(missing?.code == "NotFoundException")
        #expect(missing?.operation == "DescribeKey")
    }
}
