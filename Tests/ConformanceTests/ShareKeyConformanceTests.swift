import AWSServices
import Foundation
import TestSupport
import Testing

/// The calls an aws/rds move adds (issue 17), through our signed client against moto with
/// signature checking on: KMS CreateKey (policy, tags), ListKeys, ListResourceTags and
/// ScheduleKeyDeletion; RDS DescribeOptionGroups.
///
/// moto gaps (AWS-NOTES-2 KMS-5, OG-6), pinned by the simulator's unit tests instead:
/// ScheduleKeyDeletion accepts a window outside 7–30 and answers without KeyState or
/// PendingWindowInDays; option groups have no Persistent/Permanent flags; DescribeOptionGroups
/// without a name answers OptionGroupNotFoundFault (AWS: an empty list) when no group matches, and
/// a Python KeyError (500) when the account has none; ScheduleKeyDeletion by key ARN is a
/// KeyError (500) — the step schedules by key ID, which AWS and moto both take.
@Suite struct ShareKeyConformanceTests {
    @Test func aRunKeyIsCreatedFoundByItsTagsAndScheduledForDeletion() async throws {
        let moto = try MotoFixture.load()
        let kms = KMSClient(client: moto.clientA(.kms))
        let run = MotoFixture.uniqueName("run")
        let policy = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(moto.accountA):root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(moto.accountB):root"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}
            """
        let (created, requestId) = try await kms.createKey(
            CreateKeyRequest(description: "share key", policy: policy, tags: ["cutover:run": run]))
        #expect(requestId?.isEmpty == false)
        #expect(created.keyManager == .customer && created.keyState == "Enabled")
        #expect(created.awsAccountId == moto.accountA)
        let arn = try #require(created.arn)

        let keys = try await kms.listAllKeys()
        #expect(keys.contains { $0.keyId == created.keyId && $0.keyArn == arn })
        #expect(try await kms.listResourceTags(keyId: arn) == ["cutover:run": run])
        #expect(try await kms.getKeyPolicy(keyId: created.keyId).policy.contains(moto.accountB))

        // By key ID: moto answers a key ARN here with HTTP 500 (a KeyError; AWS takes either).
        let deletion = try await kms.scheduleKeyDeletion(keyId: created.keyId, pendingWindowInDays: 7)
        #expect(deletion.keyId == created.keyId || deletion.keyId == arn)
        #expect(deletion.deletionDate != nil)
        let after = try await kms.describeKey(keyId: arn)
        #expect(after.keyState == "PendingDeletion")
        #expect(after.deletionDate != nil)

        let missing = await #expect(throws: AWSError.self) { try await kms.listResourceTags(keyId: "11111111-2222-3333-4444-555555555555") }
        #expect(missing.map { $0.code == .kmsNotFound } == true)
    }

    @Test func describeOptionGroupsReadsGroupsAndTheirOptions() async throws {
        let moto = try MotoFixture.load()
        let client = try await moto.clientB(.rds)
        let rds = RDSClient(client: client)
        let name = MotoFixture.uniqueName("cutover-og")
        _ = try await client.query(
            action: "CreateOptionGroup",
            parameters: [
                ("OptionGroupName", name), ("EngineName", "oracle-ee"), ("MajorEngineVersion", "19"),
                ("OptionGroupDescription", "cutover conformance"),
            ])
        _ = try await client.query(
            action: "ModifyOptionGroup",
            parameters: [
                ("OptionGroupName", name), ("OptionsToInclude.OptionConfiguration.1.OptionName", "Timezone"), ("ApplyImmediately", "true"),
            ])
        let page = try await rds.describeOptionGroups(name: name)
        #expect(page.requestId?.isEmpty == false)
        let group = try #require(page.items.first)
        #expect(group.name == name && group.engineName == "oracle-ee" && group.majorEngineVersion == "19")
        #expect(group.options.map(\.name) == ["Timezone"])
        #expect(try await rds.optionGroup(named: name)?.name == name)

        #expect(try await rds.optionGroup(named: "\(name)-absent") == nil)
        let missing = await #expect(throws: AWSError.self) { try await rds.describeOptionGroups(name: "\(name)-absent") }
        #expect(missing.map { $0.code == .optionGroupNotFound } == true)
        #expect(missing?.operation == "DescribeOptionGroups")
    }
}
