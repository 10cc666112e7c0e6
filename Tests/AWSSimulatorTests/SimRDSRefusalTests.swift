import AWSSimulator
import Foundation
import Testing

@testable import AWSServices

/// Each refusal real RDS gives on the cutover path (and moto does not, MOTO-NOTES §4 and "Gaps"),
/// checked as `AWSErrorDecoder` reads it: code and HTTP status.
@Suite("SimRDS: refusals on the snapshot path")
struct SimRDSRefusalTests {
    typealias W = SimRDSWorld

    /// A world where A has an available encrypted snapshot `snap` (under `key`, default A's CMK
    /// shared with B), shared with B unless `share` is false.
    static func sharedSnapshot(
        keyId: String? = "alias/cutover-share", shareKeyWith: [String] = [W.b], share: Bool = true
    ) throws -> SimRDSWorld {
        var world = SimRDSWorld()
        _ = try world.seedCutoverWorld(shareKeyWith: shareKeyWith)
        try world.seedInstance(kmsKeyId: keyId)
        world.availableSnapshot("snap")
        if share {
            let response = world.rds(
                "ModifyDBSnapshotAttribute", as: W.a,
                [("DBSnapshotIdentifier", "snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b)])
            #expect(response.status == 200)
        }
        return world
    }

    static let snapArn = W.arn(W.a, "snapshot", "snap")

    // MARK: - Sharing

    @Test func snapshotUnderTheDefaultAwsRdsKeyCannotBeShared() throws {
        var world = SimRDSWorld()
        try world.seedInstance(kmsKeyId: nil, encrypted: true)
        world.availableSnapshot("snap")
        let response = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [("DBSnapshotIdentifier", "snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b)])
        #expect(SimWire.error(response) == "InvalidParameterValue 400")
        #expect(SimWire.message(response).contains("aws/rds"))
        #expect(
            try SimWire.attributes(
                world.rds("DescribeDBSnapshotAttributes", as: W.a, [("DBSnapshotIdentifier", "snap")]), "DescribeDBSnapshotAttributes"
            ).restoreAccounts.isEmpty)
    }

    @Test func encryptedSnapshotCannotBeMadePublicButUnencryptedCan() throws {
        var world = try Self.sharedSnapshot(share: false)
        let all = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [("DBSnapshotIdentifier", "snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", "all")])
        #expect(SimWire.error(all) == "InvalidParameterValue 400")
        try world.seedInstance("plain-db", encrypted: false)
        world.availableSnapshot("plain", of: "plain-db")
        let ok = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [("DBSnapshotIdentifier", "plain"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", "all")])
        #expect(try SimWire.attributes(ok, "ModifyDBSnapshotAttribute").restoreAccounts == ["all"])
        #expect(
            try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.c, [("SnapshotType", "public")])).map(\.snapshotType) == ["public"]
        )
    }

    @Test func sharingTakesAccountIdsOnlyAtMostTwentyAndUnsharingRemoves() throws {
        var world = try Self.sharedSnapshot(share: false)
        let bogus = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [("DBSnapshotIdentifier", "snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", "abc")])
        #expect(SimWire.error(bogus) == "InvalidParameterValue 400")
        let wrongAttribute = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [("DBSnapshotIdentifier", "snap"), ("AttributeName", "copy"), ("ValuesToAdd.AttributeValue.1", W.b)])
        #expect(SimWire.error(wrongAttribute) == "InvalidParameterValue 400")
        let twentyOne = (1...21).map { ("ValuesToAdd.AttributeValue.\($0)", String(format: "%012d", 400_000_000_000 + $0)) }
        #expect(
            SimWire.error(
                world.rds(
                    "ModifyDBSnapshotAttribute", as: W.a, [("DBSnapshotIdentifier", "snap"), ("AttributeName", "restore")] + twentyOne))
                == "SharedSnapshotQuotaExceeded 400")
        world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [
                ("DBSnapshotIdentifier", "snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b),
                ("ValuesToAdd.AttributeValue.2", W.c),
            ])
        let removed = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [("DBSnapshotIdentifier", "snap"), ("AttributeName", "restore"), ("ValuesToRemove.AttributeValue.1", W.c)])
        #expect(try SimWire.attributes(removed, "ModifyDBSnapshotAttribute").restoreAccounts == [W.b])
        // Only the owner manages sharing.
        #expect(
            SimWire.error(world.rds("DescribeDBSnapshotAttributes", as: W.b, [("DBSnapshotIdentifier", Self.snapArn)]))
                == "DBSnapshotNotFound 404")
    }

    @Test func snapshotStillCreatingCannotBeSharedOrCopied() throws {
        var world = SimRDSWorld()
        _ = try world.seedCutoverWorld()
        try world.seedInstance(kmsKeyId: "alias/cutover-share")
        world.rds("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "snap"), ("DBInstanceIdentifier", "legacy-db")])
        let share = world.rds(
            "ModifyDBSnapshotAttribute", as: W.a,
            [("DBSnapshotIdentifier", "snap"), ("AttributeName", "restore"), ("ValuesToAdd.AttributeValue.1", W.b)])
        #expect(SimWire.error(share) == "InvalidDBSnapshotState 400")
        let copy = world.rds("CopyDBSnapshot", as: W.a, [("SourceDBSnapshotIdentifier", "snap"), ("TargetDBSnapshotIdentifier", "snap-2")])
        #expect(SimWire.error(copy) == "InvalidDBSnapshotState 400")
        let restore = world.rds(
            "RestoreDBInstanceFromDBSnapshot", as: W.a, [("DBInstanceIdentifier", "again"), ("DBSnapshotIdentifier", "snap")])
        #expect(SimWire.error(restore) == "InvalidDBSnapshotState 400")
    }

    // MARK: - Copy in the target account

    @Test func snapshotNotSharedIsNotFoundForTheTarget() throws {
        var world = try Self.sharedSnapshot(share: false)
        let copy = world.rds(
            "CopyDBSnapshot", as: W.b,
            [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", "alias/product")])
        #expect(SimWire.error(copy) == "DBSnapshotNotFound 404")
        #expect(try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.b, [("SnapshotType", "shared")])).isEmpty)
    }

    @Test func sharedSnapshotByBareIdentifierIsNotFound() throws {
        var world = try Self.sharedSnapshot()
        let copy = world.rds(
            "CopyDBSnapshot", as: W.b,
            [("SourceDBSnapshotIdentifier", "snap"), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", "alias/product")])
        #expect(SimWire.error(copy) == "DBSnapshotNotFound 404")
    }

    @Test func snapshotSharedWithSomeoneElseIsNotFoundForAThirdAccount() throws {
        var world = try Self.sharedSnapshot()
        let copy = world.rds(
            "CopyDBSnapshot", as: W.c, [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy")])
        #expect(SimWire.error(copy) == "DBSnapshotNotFound 404")
    }

    @Test func copyingASharedEncryptedSnapshotRequiresKmsKeyId() throws {
        var world = try Self.sharedSnapshot()
        let copy = world.rds(
            "CopyDBSnapshot", as: W.b, [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy")])
        #expect(SimWire.error(copy) == "InvalidParameterValue 400")
        #expect(SimWire.message(copy).contains("KmsKeyId"))
    }

    @Test func sourceKeyPolicyThatDoesNotAllowTheTargetIsKMSKeyNotAccessible() throws {
        var world = try Self.sharedSnapshot(shareKeyWith: [])
        let copy = world.rds(
            "CopyDBSnapshot", as: W.b,
            [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", "alias/product")])
        #expect(SimWire.error(copy) == "KMSKeyNotAccessibleFault 400")
        // A grant from the owner fixes it, as KMS grants do.
        let keyArn = try #require(world.state.kms.keys(account: W.a).first?.arn)
        let grant = world.kms(
            "CreateGrant", as: W.a,
            ["KeyId": keyArn, "GranteePrincipal": "arn:aws:iam::\(W.b):root", "Operations": ["Decrypt", "DescribeKey", "CreateGrant"]])
        #expect(grant.status == 200)
        let retry = world.rds(
            "CopyDBSnapshot", as: W.b,
            [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", "alias/product")])
        #expect(SimWire.error(retry) == "200")
    }

    @Test func disabledSourceKeyIsKMSKeyNotAccessible() throws {
        var world = try Self.sharedSnapshot()
        let keyArn = try #require(world.state.kms.keys(account: W.a).first?.arn)
        try world.state.kms.setEnabled(keyArn: keyArn, false)
        let copy = world.rds(
            "CopyDBSnapshot", as: W.b,
            [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", "alias/product")])
        #expect(SimWire.error(copy) == "KMSKeyNotAccessibleFault 400")
    }

    @Test func targetKeyThatDoesNotExistOrIsNotUsableIsKMSKeyNotAccessible() throws {
        var world = try Self.sharedSnapshot()
        let missing = world.rds(
            "CopyDBSnapshot", as: W.b,
            [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", "alias/nope")])
        #expect(SimWire.error(missing) == "KMSKeyNotAccessibleFault 400")
        #expect(SimWire.message(missing).contains("alias/nope"))
        // C's key exists but its policy admits only C.
        let foreign = try world.state.kms.createKey(account: W.c, region: W.region, now: world.now)
        let notAllowed = world.rds(
            "CopyDBSnapshot", as: W.b,
            [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", foreign.arn)])
        #expect(SimWire.error(notAllowed) == "KMSKeyNotAccessibleFault 400")
    }

    @Test func duplicateTargetIsAlreadyExists() throws {
        var world = try Self.sharedSnapshot()
        let params = [("SourceDBSnapshotIdentifier", Self.snapArn), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", "alias/product")]
        #expect(SimWire.error(world.rds("CopyDBSnapshot", as: W.b, params)) == "200")
        #expect(SimWire.error(world.rds("CopyDBSnapshot", as: W.b, params)) == "DBSnapshotAlreadyExists 400")
        #expect(
            SimWire.error(
                world.rds("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "snap"), ("DBInstanceIdentifier", "legacy-db")]))
                == "DBSnapshotAlreadyExists 400")
    }

    // MARK: - Restore in the target account

    @Test func sharedEncryptedSnapshotCannotBeRestoredDirectly() throws {
        var world = try Self.sharedSnapshot()
        let restore = world.rds(
            "RestoreDBInstanceFromDBSnapshot", as: W.b,
            [("DBInstanceIdentifier", "product-db"), ("DBSnapshotIdentifier", Self.snapArn), ("DBSubnetGroupName", "product-db-subnets")])
        #expect(SimWire.error(restore) == "InvalidParameterValue 400")
        #expect(SimWire.message(restore).contains("CopyDBSnapshot"))
    }

    @Test func restoreFromAForeignSnapshotThatIsNotSharedIsNotFound() throws {
        var world = try Self.sharedSnapshot(share: false)
        let restore = world.rds(
            "RestoreDBInstanceFromDBSnapshot", as: W.b, [("DBInstanceIdentifier", "product-db"), ("DBSnapshotIdentifier", Self.snapArn)])
        #expect(SimWire.error(restore) == "DBSnapshotNotFound 404")
    }

    /// B with its own available copy `copy` of A's snapshot.
    static func copiedWorld() throws -> SimRDSWorld {
        var world = try sharedSnapshot()
        world.rds(
            "CopyDBSnapshot", as: W.b,
            [("SourceDBSnapshotIdentifier", snapArn), ("TargetDBSnapshotIdentifier", "copy"), ("KmsKeyId", "alias/product")])
        world.advance(W.timings.snapshotCopying)
        return world
    }

    static func restore(_ world: inout SimRDSWorld, _ extra: [(String, String)]) -> SimResponse {
        world.rds(
            "RestoreDBInstanceFromDBSnapshot", as: W.b, [("DBInstanceIdentifier", "product-db"), ("DBSnapshotIdentifier", "copy")] + extra)
    }

    @Test func restoreRefusesASubnetGroupTheTargetDoesNotHave() throws {
        var world = try Self.copiedWorld()
        #expect(SimWire.error(Self.restore(&world, [("DBSubnetGroupName", "legacy-subnets")])) == "DBSubnetGroupNotFoundFault 404")
    }

    @Test func restoreRefusesAnUnknownSecurityGroup() throws {
        var world = try Self.copiedWorld()
        let response = Self.restore(
            &world, [("DBSubnetGroupName", "product-db-subnets"), ("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0legacy0000000001")])
        #expect(SimWire.error(response) == "InvalidParameterValue 400")
        #expect(SimWire.message(response).contains("Invalid security group"))
    }

    @Test func restoreRefusesASecurityGroupInAnotherVpc() throws {
        var world = try Self.copiedWorld()
        let response = Self.restore(
            &world, [("DBSubnetGroupName", "product-db-subnets"), ("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0elsewhere00000001")])
        #expect(SimWire.error(response) == "InvalidParameterCombination 400")
    }

    @Test func restoreRefusesAParameterGroupTheTargetDoesNotHave() throws {
        var world = try Self.copiedWorld()
        let response = Self.restore(&world, [("DBSubnetGroupName", "product-db-subnets"), ("DBParameterGroupName", "legacy-mysql80")])
        #expect(SimWire.error(response) == "DBParameterGroupNotFound 404")
    }

    @Test func restoreWithoutPlacementLandsInTheDefaults() throws {
        var world = try Self.copiedWorld()
        let restored = try SimWire.instance(Self.restore(&world, []), "RestoreDBInstanceFromDBSnapshot")
        #expect(restored.dbSubnetGroupName == "default")
        #expect(restored.dbParameterGroupNames == ["default.mysql8.0"])
        #expect(SimWire.error(Self.restore(&world, [])) == "DBInstanceAlreadyExists 400")
    }

    // MARK: - Instances

    @Test func snapshotOfAnInstanceStillCreatingIsInvalidState() throws {
        var world = SimRDSWorld()
        try world.seedInstance(encrypted: false, available: false)
        let response = world.rds("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "early"), ("DBInstanceIdentifier", "legacy-db")])
        #expect(SimWire.error(response) == "InvalidDBInstanceState 400")
        #expect(
            SimWire.error(world.rds("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "x"), ("DBInstanceIdentifier", "nope")]))
                == "DBInstanceNotFound 404")
    }

    @Test func deleteNeedsAFinalSnapshotChoiceAndHonoursDeletionProtection() throws {
        var world = SimRDSWorld()
        try world.seedInstance(encrypted: false)
        #expect(
            SimWire.error(world.rds("DeleteDBInstance", as: W.a, [("DBInstanceIdentifier", "legacy-db")]))
                == "InvalidParameterCombination 400")
        #expect(
            SimWire.error(world.rds("DeleteDBInstance", as: W.a, [("DBInstanceIdentifier", "legacy-db"), ("SkipFinalSnapshot", "false")]))
                == "InvalidParameterCombination 400")

        try world.state.seedDBInstance(
            SimDBInstanceSeed(identifier: "protected", deletionProtection: true), account: W.a, region: W.region, now: world.now,
            configuration: world.configuration)
        #expect(
            SimWire.error(world.rds("DeleteDBInstance", as: W.a, [("DBInstanceIdentifier", "protected"), ("SkipFinalSnapshot", "true")]))
                == "InvalidParameterCombination 400")
    }

    @Test func deleteWithFinalSnapshotGoesDeletingThenGone() throws {
        var world = SimRDSWorld()
        try world.seedInstance(encrypted: false)
        let deleting = try SimWire.instance(
            world.rds(
                "DeleteDBInstance", as: W.a,
                [("DBInstanceIdentifier", "legacy-db"), ("SkipFinalSnapshot", "false"), ("FinalDBSnapshotIdentifier", "final")]),
            "DeleteDBInstance")
        #expect(deleting.status == "deleting")
        #expect(
            SimWire.error(world.rds("DeleteDBInstance", as: W.a, [("DBInstanceIdentifier", "legacy-db"), ("SkipFinalSnapshot", "true")]))
                == "InvalidDBInstanceState 400")
        #expect(try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.a)).map(\.identifier) == ["final"])
        world.advance(W.timings.instanceDeleting + W.timings.snapshotCreating)
        #expect(
            SimWire.error(world.rds("DescribeDBInstances", as: W.a, [("DBInstanceIdentifier", "legacy-db")])) == "DBInstanceNotFound 404")
        #expect(try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.a)).first?.status == "available")
        #expect(RDSWaiters.instanceDeletedState(nil) == .done)
        // The name is free again.
        try world.seedInstance(encrypted: false)
    }

    @Test func createValidatesWhatMotoAccepts() throws {
        var world = SimRDSWorld()
        let base: [(String, String)] = [
            ("DBInstanceIdentifier", "db1"), ("DBInstanceClass", "db.t3.micro"), ("Engine", "mysql"), ("AllocatedStorage", "20"),
            ("MasterUsername", "admin"),
        ]
        #expect(
            SimWire.error(world.rds("CreateDBInstance", as: W.a, base + [("MasterUserPassword", "short")])) == "InvalidParameterValue 400")
        #expect(
            SimWire.error(
                world.rds(
                    "CreateDBInstance", as: W.a,
                    base + [
                        ("MasterUserPassword", "long-enough"), ("StorageEncrypted", "true"),
                        ("KmsKeyId", "arn:aws:kms:us-east-1:111111111111:key/nope"),
                    ])) == "KMSKeyNotAccessibleFault 400")
        #expect(
            SimWire.error(
                world.rds("CreateDBInstance", as: W.a, [("DBInstanceIdentifier", "1bad"), ("DBInstanceClass", "c"), ("Engine", "mysql")]))
                == "InvalidParameterValue 400")
        #expect(
            SimWire.error(world.rds("CreateDBInstance", as: W.a, base + [("MasterUserPassword", "long-enough"), ("Engine", "nosql")]))
                == "InvalidParameterValue 400")
        let created = try SimWire.instance(
            world.rds("CreateDBInstance", as: W.a, base + [("MasterUserPassword", "long-enough"), ("StorageEncrypted", "true")]),
            "CreateDBInstance")
        #expect(created.status == "creating")
        #expect(created.kmsKeyId == world.state.kms.awsManagedKey(account: W.a, region: W.region, now: world.now).arn)
    }

    @Test func describePagesWithMarkers() throws {
        var world = SimRDSWorld()
        try world.seedInstance(encrypted: false)
        for i in 1...25 {
            world.rds("CreateDBSnapshot", as: W.a, [("DBSnapshotIdentifier", "s\(i)"), ("DBInstanceIdentifier", "legacy-db")])
            world.advance(W.timings.snapshotCreating)
        }
        let first = try SimWire.result(
            world.rds("DescribeDBSnapshots", as: W.a, [("SnapshotType", "manual"), ("MaxRecords", "20")]), "DescribeDBSnapshots")
        let marker = try #require(first.string("Marker"))
        #expect(first.items("DBSnapshots", member: "DBSnapshot") { $0 }.count == 20)
        let second = try SimWire.snapshots(
            world.rds("DescribeDBSnapshots", as: W.a, [("SnapshotType", "manual"), ("MaxRecords", "20"), ("Marker", marker)]))
        #expect(second.count == 5)
        #expect(SimWire.error(world.rds("DescribeDBSnapshots", as: W.a, [("MaxRecords", "5")])) == "InvalidParameterValue 400")
    }

    @Test func errorDocumentHasTheQueryShape() throws {
        var world = SimRDSWorld()
        let response = world.rds("DescribeDBInstances", as: W.a, [("DBInstanceIdentifier", "missing")])
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 404)
        #expect(
            text.contains(
                "<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>Sender</Type><Code>DBInstanceNotFound</Code>"
            ))
        let decoded = AWSErrorDecoder.decode(
            HTTPResponse(status: response.status, headers: HTTPHeaders(response.headers), body: response.body),
            wireProtocol: .query(apiVersion: "2014-10-31"))
        #expect(decoded.code == "DBInstanceNotFound")
        #expect(decoded.message == "DBInstance missing not found.")
        #expect(decoded.requestId == "REQ-\(W.a)")
        #expect(response.header("x-amzn-RequestId") == "REQ-\(W.a)")
    }

    @Test func tagsAreAddedOnlyToOwnResources() throws {
        var world = try Self.sharedSnapshot()
        let tagged = world.rds(
            "AddTagsToResource", as: W.a, [("ResourceName", Self.snapArn), ("Tags.Tag.1.Key", "cutover"), ("Tags.Tag.1.Value", "1")])
        #expect(tagged.status == 200)
        #expect(
            try SimWire.snapshots(world.rds("DescribeDBSnapshots", as: W.a, [("DBSnapshotIdentifier", "snap")])).first?.tags == [
                "cutover": "1"
            ])
        #expect(
            SimWire.error(
                world.rds(
                    "AddTagsToResource", as: W.b, [("ResourceName", Self.snapArn), ("Tags.Tag.1.Key", "x"), ("Tags.Tag.1.Value", "y")]))
                == "DBSnapshotNotFound 404")
        #expect(
            SimWire.error(
                world.rds(
                    "AddTagsToResource", as: W.a,
                    [("ResourceName", W.arn(W.a, "db", "legacy-db")), ("Tags.Tag.1.Key", "aws:x"), ("Tags.Tag.1.Value", "y")]))
                == "InvalidParameterValue 400")
    }
}
