import AWSSimulator
import Foundation
import Testing

@testable import AWSServices

/// Option groups as RDS keeps them: DescribeOptionGroups and CreateOptionGroup, persistent and
/// permanent options travelling with snapshots and copies, the share refusal for such snapshots,
/// and a restore refused into a group that lacks one of them.
@Suite("SimRDS: option groups")
struct SimRDSOptionGroupTests {
    typealias W = SimRDSWorld

    static let tde = SimOption(name: "TDE", persistent: true, permanent: true)
    static let timezone = SimOption(name: "Timezone", persistent: true, permanent: true)
    static let statspack = SimOption(name: "STATSPACK")

    /// A's Oracle instance `ora` in group `ora-opts` with `options`, and one available manual snapshot `ora-snap`.
    static func world(options: [SimOption]) throws -> SimRDSWorld {
        var world = SimRDSWorld()
        world.state.rds.addOptionGroup(
            SimOptionGroup(name: "ora-opts", engine: "oracle-ee", majorEngineVersion: "19", options: options), account: W.a)
        try world.state.seedDBInstance(
            SimDBInstanceSeed(identifier: "ora", engine: "oracle-ee", optionGroupName: "ora-opts"), account: W.a, region: W.region,
            now: world.now,
            configuration: world.configuration)
        world.availableSnapshot("ora-snap", of: "ora")
        return world
    }

    static func groups(_ response: SimResponse) throws -> [RDSOptionGroup] {
        try SimWire.result(response, "DescribeOptionGroups").items("OptionGroupsList", member: "OptionGroup", RDSOptionGroup.init)
    }

    @Test func describeOptionGroupsListsNamesAndFilters() throws {
        var world = try Self.world(options: [Self.tde, Self.statspack])
        let one = try Self.groups(world.rds("DescribeOptionGroups", as: W.a, [("OptionGroupName", "ora-opts")]))
        #expect(one.map(\.name) == ["ora-opts"])
        #expect(one.first?.engineName == "oracle-ee" && one.first?.majorEngineVersion == "19")
        #expect(one.first?.options == [RDSOption(name: "TDE", persistent: true, permanent: true), RDSOption(name: "STATSPACK")])
        #expect(one.first?.arn == "arn:aws:rds:us-east-1:\(W.a):og:ora-opts")
        // A default group always exists, with no options.
        let defaults = try Self.groups(world.rds("DescribeOptionGroups", as: W.a, [("OptionGroupName", "default:oracle-ee-19")]))
        #expect(defaults.first?.options == [] && defaults.first?.engineName == "oracle-ee")
        #expect(SimWire.error(world.rds("DescribeOptionGroups", as: W.a, [("OptionGroupName", "nope")])) == "OptionGroupNotFoundFault 404")
        // Groups are per account; a list with none is empty (moto answers a 500 there, AWS-NOTES-2 OG-6).
        #expect(try Self.groups(world.rds("DescribeOptionGroups", as: W.b)).isEmpty)
        #expect(try Self.groups(world.rds("DescribeOptionGroups", as: W.a, [("EngineName", "mysql")])).isEmpty)
        #expect(try Self.groups(world.rds("DescribeOptionGroups", as: W.a, [("EngineName", "oracle-ee")])).count == 1)
        #expect(
            SimWire.error(world.rds("DescribeOptionGroups", as: W.a, [("OptionGroupName", "ora-opts"), ("EngineName", "oracle-ee")]))
                == "InvalidParameterCombination 400")
    }

    @Test func createOptionGroupMakesAnEmptyGroupOnce() throws {
        var world = SimRDSWorld()
        let create: [(String, String)] = [
            ("OptionGroupName", "Admin-Opts"), ("EngineName", "mysql"), ("MajorEngineVersion", "8.0"), ("OptionGroupDescription", "admin"),
        ]
        let created = try RDSOptionGroup(
            SimWire.result(world.rds("CreateOptionGroup", as: W.b, create), "CreateOptionGroup").requiredChild("OptionGroup"))
        #expect(created.name == "admin-opts" && created.options.isEmpty && created.engineName == "mysql")
        #expect(SimWire.error(world.rds("CreateOptionGroup", as: W.b, create)) == "OptionGroupAlreadyExistsFault 400")
        #expect(try Self.groups(world.rds("DescribeOptionGroups", as: W.b)).map(\.name) == ["admin-opts"])
        #expect(
            SimWire.error(
                world.rds(
                    "CreateOptionGroup", as: W.b,
                    [
                        ("OptionGroupName", "x"), ("EngineName", "aurora-mysql"),
                        ("MajorEngineVersion", "8.0"), ("OptionGroupDescription", "x"),
                    ]))
                == "InvalidParameterValue 400")
    }

    @Test func aRestoreIntoAGroupWithoutThePersistentOptionsIsRefusedAndIntoOneWithThemWorks() throws {
        var world = try Self.world(options: [Self.timezone, Self.statspack])
        world.state.rds.addOptionGroup(
            SimOptionGroup(name: "bare", engine: "oracle-ee", majorEngineVersion: "19", options: [Self.statspack]), account: W.a)
        world.state.rds.addOptionGroup(
            SimOptionGroup(name: "with-tz", engine: "oracle-ee", majorEngineVersion: "19", options: [Self.timezone]), account: W.a)
        let refused = world.rds(
            "RestoreDBInstanceFromDBSnapshot", as: W.a,
            [
                ("DBInstanceIdentifier", "ora-2"), ("DBSnapshotIdentifier", "ora-snap"), ("OptionGroupName", "bare"),
            ])
        #expect(SimWire.error(refused) == "InvalidParameterValue 400")
        #expect(SimWire.message(refused) == "The snapshot requires a target option group with the following options: [Timezone]")
        // Into the engine's default group (no OptionGroupName, and the snapshot's group elsewhere) likewise.
        let restored = try SimWire.instance(
            world.rds(
                "RestoreDBInstanceFromDBSnapshot", as: W.a,
                [
                    ("DBInstanceIdentifier", "ora-3"), ("DBSnapshotIdentifier", "ora-snap"), ("OptionGroupName", "with-tz"),
                ]), "RestoreDBInstanceFromDBSnapshot")
        #expect(restored.optionGroupNames == ["with-tz"])
        // Without OptionGroupName the snapshot's own group is used, when the account has it.
        let same = try SimWire.instance(
            world.rds(
                "RestoreDBInstanceFromDBSnapshot", as: W.a,
                [
                    ("DBInstanceIdentifier", "ora-4"), ("DBSnapshotIdentifier", "ora-snap"),
                ]), "RestoreDBInstanceFromDBSnapshot")
        #expect(same.optionGroupNames == ["ora-opts"])
    }

    @Test func persistentOptionsTravelWithCopiesAcrossAccounts() throws {
        var world = try Self.world(options: [Self.timezone])
        _ = try world.seedCutoverWorld()
        // A Timezone snapshot may be shared (CopyableCrossAccount); B's copy still carries the option.
        #expect(
            SimWire.error(
                world.rds(
                    "ModifyDBSnapshotAttribute", as: W.a,
                    [
                        ("DBSnapshotIdentifier", "ora-snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b),
                    ])) == "200")
        _ = try SimWire.snapshot(
            world.rds(
                "CopyDBSnapshot", as: W.b,
                [
                    ("SourceDBSnapshotIdentifier", W.arn(W.a, "snapshot", "ora-snap")), ("TargetDBSnapshotIdentifier", "ora-copy"),
                ]), "CopyDBSnapshot")
        world.advance(W.timings.snapshotCopying)
        world.state.seedRDSNetwork(account: W.b, subnetGroups: ["product-db-subnets": "vpc-0product"])
        let restore: [(String, String)] = [
            ("DBInstanceIdentifier", "ora"), ("DBSnapshotIdentifier", "ora-copy"), ("DBSubnetGroupName", "product-db-subnets"),
        ]
        #expect(SimWire.message(world.rds("RestoreDBInstanceFromDBSnapshot", as: W.b, restore)).contains("[Timezone]"))
        world.state.rds.addOptionGroup(
            SimOptionGroup(name: "b-tz", engine: "oracle-ee", majorEngineVersion: "19", options: [Self.timezone]), account: W.b)
        let restored = try SimWire.instance(
            world.rds("RestoreDBInstanceFromDBSnapshot", as: W.b, restore + [("OptionGroupName", "b-tz")]),
            "RestoreDBInstanceFromDBSnapshot")
        #expect(restored.optionGroupNames == ["b-tz"])
    }

    @Test func aSnapshotWithAPermanentOptionOtherThanTimezoneOrOLSCannotBeShared() throws {
        var world = try Self.world(options: [Self.tde])
        let refused = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [
                ("DBSnapshotIdentifier", "ora-snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b),
            ])
        #expect(SimWire.error(refused) == "InvalidParameterValue 400")
        #expect(SimWire.message(refused).contains("TDE"))
    }
}

/// The KMS a run's own share key goes through: CreateKey with tags and KMS's lockout check,
/// ListKeys and ListResourceTags to find it again, ScheduleKeyDeletion's window and state, and
/// the `kms:GrantIsForAWSResource` condition.
@Suite("SimKMS: a run's share key")
struct SimKMSShareKeyTests {
    typealias W = SimRDSWorld

    static func policy(owner: String, target: String) -> String {
        """
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(owner):root"},"Action":"kms:*","Resource":"*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(target):root"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(target):root"},"Action":"kms:CreateGrant","Resource":"*",
           "Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}]}
        """
    }

    struct Created: Decodable { var KeyMetadata: KMSKeyMetadata }

    @Test func createKeyTagsListAndScheduleDeletion() throws {
        var world = SimRDSWorld()
        let created = try SimWire.decode(
            Created.self,
            world.kms(
                "CreateKey", as: W.a,
                [
                    "Description": "share", "Policy": Self.policy(owner: W.a, target: W.b),
                    "Tags": [["TagKey": "cutover:run", "TagValue": "run-1"]],
                ])
        ).KeyMetadata
        let listed = try SimWire.json(world.kms("ListKeys", as: W.a))
        #expect((listed["Keys"] as? [[String: Any]])?.contains { $0["KeyArn"] as? String == created.arn } == true)
        let tags = try SimWire.json(world.kms("ListResourceTags", as: W.a, ["KeyId": created.keyId]))
        #expect((tags["Tags"] as? [[String: String]]) == [["TagKey": "cutover:run", "TagValue": "run-1"]])
        // Another account lists no tags of A's key.
        #expect(SimWire.error(world.kms("ListResourceTags", as: W.b, ["KeyId": created.arn!]), json: true) == "AccessDeniedException 400")

        #expect(
            SimWire.error(world.kms("ScheduleKeyDeletion", as: W.a, ["KeyId": created.keyId, "PendingWindowInDays": 6]), json: true)
                == "ValidationException 400")
        let scheduled = try SimWire.json(world.kms("ScheduleKeyDeletion", as: W.a, ["KeyId": created.keyId, "PendingWindowInDays": 7]))
        #expect(scheduled["KeyState"] as? String == "PendingDeletion" && scheduled["PendingWindowInDays"] as? Int == 7)
        #expect((scheduled["DeletionDate"] as? Double) == world.now.addingTimeInterval(7 * 86_400).timeIntervalSince1970)
        #expect(
            SimWire.error(world.kms("ScheduleKeyDeletion", as: W.a, ["KeyId": created.keyId]), json: true) == "KMSInvalidStateException 400"
        )
        let described = try SimWire.decode(Created.self, world.kms("DescribeKey", as: W.a, ["KeyId": created.keyId])).KeyMetadata
        #expect(described.keyState == "PendingDeletion" && described.enabled == false && described.deletionDate != nil)
        // A key pending deletion cannot encrypt or be used for a snapshot copy.
        #expect(world.state.kms.snapshotAccess(keyArn: created.arn!, account: W.b, region: W.region) == .disabled)
        // AWS managed keys are not the caller's to delete.
        let managed = world.state.kms.awsManagedKey(account: W.a, region: W.region, now: world.now)
        #expect(
            SimWire.error(world.kms("ScheduleKeyDeletion", as: W.a, ["KeyId": managed.keyId]), json: true) == "AccessDeniedException 400")
    }

    @Test func createKeyRefusesAPolicyThatLocksTheCallerOut() throws {
        var world = SimRDSWorld()
        let lockout =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"kms:*","Resource":"*"}]}"#
        #expect(SimWire.error(world.kms("CreateKey", as: W.a, ["Policy": lockout]), json: true) == "MalformedPolicyDocumentException 400")
        #expect(
            SimWire.error(world.kms("CreateKey", as: W.a, ["Policy": lockout, "BypassPolicyLockoutSafetyCheck": true]), json: true) == "200"
        )
    }

    /// The target may copy a snapshot under the key (RDS creates the grant for an AWS resource),
    /// but may not create a grant of its own.
    @Test func grantIsForAWSResourceAdmitsRDSButNotTheCallersOwnGrant() throws {
        var world = SimRDSWorld()
        let key = try world.state.kms.createKey(
            account: W.a, region: W.region, now: world.now, policy: Self.policy(owner: W.a, target: W.b))
        #expect(world.state.kms.snapshotAccess(keyArn: key.arn, account: W.b, region: W.region) == .allowed)
        #expect(world.state.kms.snapshotAccess(keyArn: key.arn, account: W.c, region: W.region) == .notPermitted)
        #expect(
            SimWire.error(
                world.kms(
                    "CreateGrant", as: W.b,
                    [
                        "KeyId": key.arn, "GranteePrincipal": "arn:aws:iam::\(W.b):root", "Operations": ["Decrypt"],
                    ]), json: true) == "AccessDeniedException 400")
        #expect(SimWire.error(world.kms("DescribeKey", as: W.b, ["KeyId": key.arn]), json: true) == "200")
    }
}
