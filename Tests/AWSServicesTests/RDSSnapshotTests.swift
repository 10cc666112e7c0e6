import AWSServices
import Foundation
import Testing

/// CreateDBSnapshot, DescribeDBSnapshots, Modify/DescribeDBSnapshotAttributes, CopyDBSnapshot and
/// DeleteDBSnapshot.
@Suite struct RDSSnapshotTests {
    static let sharedSnapshotArn = "arn:aws:rds:ap-northeast-1:111111111111:snapshot:admin-db-cutover"

    static let snapshotXML = """
        <DBSnapshot>
          <DBSnapshotIdentifier>admin-db-copy</DBSnapshotIdentifier>
          <DBInstanceIdentifier>admin-db</DBInstanceIdentifier>
          <SnapshotCreateTime>2026-12-01T01:12:30.512Z</SnapshotCreateTime>
          <Engine>mysql</Engine>
          <AllocatedStorage>100</AllocatedStorage>
          <Status>copying</Status>
          <Port>3306</Port>
          <AvailabilityZone>ap-northeast-1a</AvailabilityZone>
          <VpcId>vpc-0123</VpcId>
          <InstanceCreateTime>2023-04-12T08:15:42.123Z</InstanceCreateTime>
          <MasterUsername>admin</MasterUsername>
          <EngineVersion>8.0.35</EngineVersion>
          <LicenseModel>general-public-license</LicenseModel>
          <SnapshotType>manual</SnapshotType>
          <OptionGroupName>default:mysql-8-0</OptionGroupName>
          <PercentProgress>42</PercentProgress>
          <SourceRegion>ap-northeast-1</SourceRegion>
          <SourceDBSnapshotIdentifier>\(sharedSnapshotArn)</SourceDBSnapshotIdentifier>
          <StorageType>gp3</StorageType>
          <Encrypted>true</Encrypted>
          <KmsKeyId>arn:aws:kms:ap-northeast-1:222222222222:key/bbbbbbbb-2222-3333-4444-555555555555</KmsKeyId>
          <DBSnapshotArn>arn:aws:rds:ap-northeast-1:222222222222:snapshot:admin-db-copy</DBSnapshotArn>
          <IAMDatabaseAuthenticationEnabled>false</IAMDatabaseAuthenticationEnabled>
          <DbiResourceId>db-ABCDEFGHIJKLMNOP</DbiResourceId>
          <TagList/>
          <OriginalSnapshotCreateTime>2026-12-01T01:02:03.948417Z</OriginalSnapshotCreateTime>
        </DBSnapshot>
        """

    static func attributesXML(_ accounts: [String]) -> String {
        """
        <DBSnapshotAttributesResult>
          <DBSnapshotIdentifier>admin-db-cutover</DBSnapshotIdentifier>
          <DBSnapshotAttributes>
            <DBSnapshotAttribute>
              <AttributeName>restore</AttributeName>
              <AttributeValues>\(accounts.map { "<AttributeValue>\($0)</AttributeValue>" }.joined())</AttributeValues>
            </DBSnapshotAttribute>
          </DBSnapshotAttributes>
        </DBSnapshotAttributesResult>
        """
    }

    @Test func describeDBSnapshotsFindsASharedSnapshotByArn() async throws {
        let body = RDSInstanceTests.result("DescribeDBSnapshots", "<DBSnapshots>\(Self.snapshotXML)</DBSnapshots>")
        let aws = try StubbedAWS(.rds, body: body)
        let page = try await RDSClient(client: aws.client).describeDBSnapshots(
            .init(snapshotIdentifier: Self.sharedSnapshotArn, snapshotType: .shared, includeShared: true))
        let form = aws.form()
        #expect(form["Action"] == "DescribeDBSnapshots")
        #expect(form["DBSnapshotIdentifier"] == Self.sharedSnapshotArn)
        #expect(form["SnapshotType"] == "shared")
        #expect(form["IncludeShared"] == "true")
        #expect(form["DBInstanceIdentifier"] == nil)

        let snapshot = try #require(page.items.first)
        #expect(snapshot.identifier == "admin-db-copy")
        #expect(snapshot.status == "copying")
        #expect(snapshot.percentProgress == 42)
        #expect(snapshot.encrypted)
        #expect(snapshot.kmsKeyId == "arn:aws:kms:ap-northeast-1:222222222222:key/bbbbbbbb-2222-3333-4444-555555555555")
        #expect(snapshot.arn == "arn:aws:rds:ap-northeast-1:222222222222:snapshot:admin-db-copy")
        #expect(snapshot.sourceSnapshotIdentifier == Self.sharedSnapshotArn)
        #expect(snapshot.instanceIdentifier == "admin-db")
        #expect(snapshot.snapshotType == "manual")
        #expect(abs((snapshot.snapshotCreateTime?.timeIntervalSince1970 ?? 0) - 1_796_087_550.512) < 0.000_5)
        // moto sends microseconds; the fraction must survive.
        let original = try #require(snapshot.originalSnapshotCreateTime)
        #expect(abs(original.timeIntervalSince1970 - 1_796_086_923.948417) < 0.000_01)
        #expect(snapshot.tags.isEmpty)
        #expect(page.requestId == "req-DescribeDBSnapshots")
    }

    @Test func describeAllDBSnapshotsFollowsMarkers() async throws {
        let aws = try StubbedAWS(.rds) { request in
            let form = StubbedAWS.decodeForm(request.body)
            let marker = form["Marker"] == nil ? "<Marker>m2</Marker>" : ""
            return .text(
                200, RDSInstanceTests.result("DescribeDBSnapshots", "\(marker)<DBSnapshots>\(RDSSnapshotTests.snapshotXML)</DBSnapshots>"))
        }
        let all = try await RDSClient(client: aws.client).describeAllDBSnapshots(
            .init(instanceIdentifier: "admin-db", snapshotType: .manual))
        #expect(all.count == 2)
        #expect(aws.form(1)["Marker"] == "m2")
        #expect(aws.form(1)["DBInstanceIdentifier"] == "admin-db")
        #expect(aws.form(1)["SnapshotType"] == "manual")
    }

    @Test func createDBSnapshotSendsIdentifiersAndTags() async throws {
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("CreateDBSnapshot", Self.snapshotXML))
        let result = try await RDSClient(client: aws.client).createDBSnapshot(
            snapshotIdentifier: "admin-db-cutover", instanceIdentifier: "admin-db", tags: ["cutover": "yes"])
        let form = aws.form()
        #expect(form["DBSnapshotIdentifier"] == "admin-db-cutover")
        #expect(form["DBInstanceIdentifier"] == "admin-db")
        #expect(form["Tags.Tag.1.Key"] == "cutover" && form["Tags.Tag.1.Value"] == "yes")
        #expect(result.requestId == "req-CreateDBSnapshot")
    }

    @Test func shareSendsAttributeValuesAndDecodesTheAccounts() async throws {
        let body = RDSInstanceTests.result("ModifyDBSnapshotAttribute", Self.attributesXML(["222222222222", "333333333333"]))
        let aws = try StubbedAWS(.rds, body: body)
        let result = try await RDSClient(client: aws.client).modifyDBSnapshotAttribute(
            snapshotIdentifier: "admin-db-cutover", valuesToAdd: ["222222222222"], valuesToRemove: ["444444444444"])
        let form = aws.form()
        #expect(form["Action"] == "ModifyDBSnapshotAttribute")
        #expect(form["AttributeName"] == "restore")
        #expect(form["ValuesToAdd.AttributeValue.1"] == "222222222222")
        #expect(form["ValuesToRemove.AttributeValue.1"] == "444444444444")
        #expect(result.value.snapshotIdentifier == "admin-db-cutover")
        #expect(result.value.restoreAccounts == ["222222222222", "333333333333"])
    }

    @Test func describeDBSnapshotAttributesReadsAnUnsharedSnapshot() async throws {
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("DescribeDBSnapshotAttributes", Self.attributesXML([])))
        let result = try await RDSClient(client: aws.client).describeDBSnapshotAttributes(snapshotIdentifier: "admin-db-cutover")
        #expect(aws.form()["DBSnapshotIdentifier"] == "admin-db-cutover")
        #expect(result.value.attributes == ["restore": []])
        #expect(result.value.restoreAccounts.isEmpty)
    }

    @Test func copyDBSnapshotNamesTheSourceByArnAndReencrypts() async throws {
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("CopyDBSnapshot", Self.snapshotXML))
        let result = try await RDSClient(client: aws.client).copyDBSnapshot(
            .init(
                sourceSnapshotIdentifier: Self.sharedSnapshotArn, targetSnapshotIdentifier: "admin-db-copy",
                kmsKeyId: "alias/admin-db", copyTags: true, tags: ["cutover": "yes"], optionGroupName: "admin-options"))
        let form = aws.form()
        #expect(form["SourceDBSnapshotIdentifier"] == Self.sharedSnapshotArn)
        #expect(form["TargetDBSnapshotIdentifier"] == "admin-db-copy")
        #expect(form["KmsKeyId"] == "alias/admin-db")
        #expect(form["CopyTags"] == "true")
        #expect(form["Tags.Tag.1.Key"] == "cutover")
        #expect(form["OptionGroupName"] == "admin-options")
        #expect(form["CopyOptionGroup"] == nil)
        #expect(result.value.status == "copying")
    }

    @Test func deleteDBSnapshotDecodesTheDeletedSnapshot() async throws {
        let deleted = Self.snapshotXML.replacingOccurrences(of: "<Status>copying", with: "<Status>deleted")
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("DeleteDBSnapshot", deleted))
        let result = try await RDSClient(client: aws.client).deleteDBSnapshot(snapshotIdentifier: "admin-db-copy")
        #expect(aws.form()["DBSnapshotIdentifier"] == "admin-db-copy")
        #expect(result.value.status == "deleted")
    }

    @Test func aSnapshotWithoutStatusIsMalformed() async throws {
        let broken = Self.snapshotXML.replacingOccurrences(of: "<Status>copying</Status>", with: "")
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("CopyDBSnapshot", broken))
        let error = await #expect(throws: AWSError.self) {
            try await RDSClient(client: aws.client).copyDBSnapshot(.init(sourceSnapshotIdentifier: "a", targetSnapshotIdentifier: "b"))
        }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "CopyDBSnapshot")
        #expect(error?.resource == "b")
        #expect(error?.message.contains("Status") == true)
    }

    @Test func attributesWithoutAnAttributeNameAreMalformed() async throws {
        let broken = Self.attributesXML(["222222222222"]).replacingOccurrences(of: "<AttributeName>restore</AttributeName>", with: "")
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("DescribeDBSnapshotAttributes", broken))
        let error = await #expect(throws: AWSError.self) {
            try await RDSClient(client: aws.client).describeDBSnapshotAttributes(snapshotIdentifier: "s")
        }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "DescribeDBSnapshotAttributes")
    }

    @Test func snapshotNotFoundIsTyped() async throws {
        let aws = try StubbedAWS(
            .rds, status: 404, body: StubbedAWS.queryError("DBSnapshotNotFound", "DBSnapshot nope not found.", requestId: "req-404"))
        let error = await #expect(throws: AWSError.self) {
            try await RDSClient(client: aws.client).describeDBSnapshots(.init(snapshotIdentifier: "nope"))
        }
        #expect(error?.code == "DBSnapshotNotFound")
        #expect(error?.requestId == "req-404")
        #expect(error?.origin == .service)
        #expect(error?.resource == "nope")
    }
}
