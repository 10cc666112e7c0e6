import AWSServices
import Foundation
import Testing

/// DescribeDBInstances, CreateDBInstance, RestoreDBInstanceFromDBSnapshot, DeleteDBInstance and
/// AddTagsToResource: the parameters sent and the answers decoded, from AWS-shaped documents.
@Suite struct RDSInstanceTests {
    static let instanceXML = """
        <DBInstance>
          <DBInstanceIdentifier>admin-db</DBInstanceIdentifier>
          <DBInstanceClass>db.r6g.large</DBInstanceClass>
          <Engine>mysql</Engine>
          <DBInstanceStatus>available</DBInstanceStatus>
          <MasterUsername>admin</MasterUsername>
          <Endpoint>
            <Address>admin-db.cxyz0123abcd.ap-northeast-1.rds.amazonaws.com</Address>
            <Port>3306</Port>
            <HostedZoneId>Z24O6O9L7SGTNB</HostedZoneId>
          </Endpoint>
          <AllocatedStorage>100</AllocatedStorage>
          <InstanceCreateTime>2023-04-12T08:15:42.123Z</InstanceCreateTime>
          <VpcSecurityGroups>
            <VpcSecurityGroupMembership><VpcSecurityGroupId>sg-0abc</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership>
            <VpcSecurityGroupMembership><VpcSecurityGroupId>sg-0def</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership>
          </VpcSecurityGroups>
          <DBParameterGroups>
            <DBParameterGroup><DBParameterGroupName>admin-mysql80</DBParameterGroupName><ParameterApplyStatus>in-sync</ParameterApplyStatus></DBParameterGroup>
          </DBParameterGroups>
          <AvailabilityZone>ap-northeast-1a</AvailabilityZone>
          <DBSubnetGroup>
            <DBSubnetGroupName>admin-private</DBSubnetGroupName>
            <DBSubnetGroupDescription>private subnets</DBSubnetGroupDescription>
            <VpcId>vpc-0123</VpcId>
            <SubnetGroupStatus>Complete</SubnetGroupStatus>
            <Subnets><Subnet><SubnetIdentifier>subnet-1</SubnetIdentifier></Subnet></Subnets>
          </DBSubnetGroup>
          <MultiAZ>true</MultiAZ>
          <EngineVersion>8.0.35</EngineVersion>
          <OptionGroupMemberships>
            <OptionGroupMembership><OptionGroupName>default:mysql-8-0</OptionGroupName><Status>in-sync</Status></OptionGroupMembership>
          </OptionGroupMemberships>
          <PubliclyAccessible>false</PubliclyAccessible>
          <StorageType>gp3</StorageType>
          <DbInstancePort>0</DbInstancePort>
          <StorageEncrypted>true</StorageEncrypted>
          <KmsKeyId>arn:aws:kms:ap-northeast-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab</KmsKeyId>
          <DbiResourceId>db-ABCDEFGHIJKLMNOP</DbiResourceId>
          <DBInstanceArn>arn:aws:rds:ap-northeast-1:111111111111:db:admin-db</DBInstanceArn>
          <DeletionProtection>true</DeletionProtection>
          <TagList><Tag><Key>team</Key><Value>admin-console</Value></Tag></TagList>
        </DBInstance>
        """

    static func describeResponse(marker: String?, instances: String = instanceXML) -> String {
        """
        <DescribeDBInstancesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
          <DescribeDBInstancesResult>
            \(marker.map { "<Marker>\($0)</Marker>" } ?? "")
            <DBInstances>\(instances)</DBInstances>
          </DescribeDBInstancesResult>
          <ResponseMetadata><RequestId>9135fff3-8509-11e0-bd9b-a7b1ece36d51</RequestId></ResponseMetadata>
        </DescribeDBInstancesResponse>
        """
    }

    static func result(_ action: String, _ inner: String) -> String {
        """
        <\(action)Response xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
          <\(action)Result>\(inner)</\(action)Result>
          <ResponseMetadata><RequestId>req-\(action)</RequestId></ResponseMetadata>
        </\(action)Response>
        """
    }

    @Test func describeDBInstancesDecodesTheFieldsACutoverNeeds() async throws {
        let aws = try StubbedAWS(.rds, body: Self.describeResponse(marker: "next-page"))
        let rds = RDSClient(client: aws.client)
        let page = try await rds.describeDBInstances(.init(instanceIdentifier: "admin-db", maxRecords: 20))

        let form = aws.form()
        #expect(form["Action"] == "DescribeDBInstances")
        #expect(form["Version"] == "2014-10-31")
        #expect(form["DBInstanceIdentifier"] == "admin-db")
        #expect(form["MaxRecords"] == "20")
        #expect(page.marker == "next-page")
        #expect(page.requestId == "9135fff3-8509-11e0-bd9b-a7b1ece36d51")
        let db = try #require(page.items.first)
        #expect(db.identifier == "admin-db")
        #expect(db.status == "available")
        #expect(db.engine == "mysql" && db.engineVersion == "8.0.35" && db.instanceClass == "db.r6g.large")
        #expect(db.endpointAddress == "admin-db.cxyz0123abcd.ap-northeast-1.rds.amazonaws.com")
        #expect(db.endpointPort == 3306)
        #expect(db.storageEncrypted)
        #expect(db.kmsKeyId == "arn:aws:kms:ap-northeast-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        #expect(db.dbSubnetGroupName == "admin-private" && db.vpcId == "vpc-0123")
        #expect(db.vpcSecurityGroupIds == ["sg-0abc", "sg-0def"])
        #expect(db.dbParameterGroupNames == ["admin-mysql80"])
        #expect(db.optionGroupNames == ["default:mysql-8-0"])
        #expect(db.multiAZ && db.deletionProtection)
        #expect(db.publiclyAccessible == false)
        #expect(db.arn == "arn:aws:rds:ap-northeast-1:111111111111:db:admin-db")
        #expect(db.tags == ["team": "admin-console"])
        #expect(abs((db.instanceCreateTime?.timeIntervalSince1970 ?? 0) - 1_681_287_342.123) < 0.000_5)
    }

    @Test func describeDBInstancesSendsFiltersAsFilterMembers() async throws {
        let aws = try StubbedAWS(.rds, body: Self.describeResponse(marker: nil, instances: ""))
        let page = try await RDSClient(client: aws.client).describeDBInstances(
            .init(filters: [RDSFilter(name: "engine", values: ["mysql", "postgres"])]))
        #expect(page.items.isEmpty && page.marker == nil)
        let form = aws.form()
        #expect(form["Filters.Filter.1.Name"] == "engine")
        #expect(form["Filters.Filter.1.Values.Value.1"] == "mysql")
        #expect(form["Filters.Filter.1.Values.Value.2"] == "postgres")
        #expect(form["DBInstanceIdentifier"] == nil)
    }

    @Test func describeAllDBInstancesFollowsMarkersToTheLastPage() async throws {
        let aws = try StubbedAWS(.rds) { request in
            let marker = StubbedAWS.decodeForm(request.body)["Marker"]
            return .text(200, RDSInstanceTests.describeResponse(marker: marker == nil ? "page-2" : nil))
        }
        let all = try await RDSClient(client: aws.client).describeAllDBInstances()
        #expect(all.count == 2)
        #expect(aws.requests.count == 2)
        #expect(aws.form(0)["Marker"] == nil)
        #expect(aws.form(1)["Marker"] == "page-2")
    }

    @Test func describeAllDBInstancesStopsWhenTheMarkerRepeats() async throws {
        let aws = try StubbedAWS(.rds, body: Self.describeResponse(marker: "same"))
        let error = await #expect(throws: AWSError.self) { try await RDSClient(client: aws.client).describeAllDBInstances() }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "DescribeDBInstances")
        #expect(aws.requests.count == 2)
    }

    @Test func restoreSendsTheNetworkAndParameterSettingsExplicitly() async throws {
        let aws = try StubbedAWS(.rds, body: Self.result("RestoreDBInstanceFromDBSnapshot", Self.instanceXML))
        let result = try await RDSClient(client: aws.client).restoreDBInstanceFromDBSnapshot(
            .init(
                instanceIdentifier: "admin-db", snapshotIdentifier: "admin-db-copy", dbSubnetGroupName: "admin-private",
                vpcSecurityGroupIds: ["sg-0abc", "sg-0def"], dbParameterGroupName: "admin-mysql80",
                optionGroupName: "admin-options", instanceClass: "db.r6g.large", multiAZ: true, publiclyAccessible: false,
                deletionProtection: true, port: 3307, tags: ["team": "admin-console", "cutover": "2026-12-01"]))
        let form = aws.form()
        #expect(form["Action"] == "RestoreDBInstanceFromDBSnapshot")
        #expect(form["DBInstanceIdentifier"] == "admin-db")
        #expect(form["DBSnapshotIdentifier"] == "admin-db-copy")
        #expect(form["DBSubnetGroupName"] == "admin-private")
        #expect(form["VpcSecurityGroupIds.VpcSecurityGroupId.1"] == "sg-0abc")
        #expect(form["VpcSecurityGroupIds.VpcSecurityGroupId.2"] == "sg-0def")
        #expect(form["DBParameterGroupName"] == "admin-mysql80")
        #expect(form["OptionGroupName"] == "admin-options")
        #expect(form["DBInstanceClass"] == "db.r6g.large")
        #expect(form["MultiAZ"] == "true")
        #expect(form["PubliclyAccessible"] == "false")
        #expect(form["DeletionProtection"] == "true")
        #expect(form["Port"] == "3307")
        #expect(form["Tags.Tag.1.Key"] == "cutover" && form["Tags.Tag.1.Value"] == "2026-12-01")
        #expect(form["Tags.Tag.2.Key"] == "team" && form["Tags.Tag.2.Value"] == "admin-console")
        #expect(result.value.identifier == "admin-db")
        #expect(result.requestId == "req-RestoreDBInstanceFromDBSnapshot")
    }

    @Test func restoreLeavesUnsetOptionsOut() async throws {
        let aws = try StubbedAWS(.rds, body: Self.result("RestoreDBInstanceFromDBSnapshot", Self.instanceXML))
        _ = try await RDSClient(client: aws.client).restoreDBInstanceFromDBSnapshot(
            .init(instanceIdentifier: "admin-db", snapshotIdentifier: "snap"))
        #expect(Set(aws.form().keys) == ["Action", "Version", "DBInstanceIdentifier", "DBSnapshotIdentifier"])
    }

    @Test func deleteDBInstanceNamesTheFinalSnapshotChoice() async throws {
        let deleting = Self.instanceXML.replacingOccurrences(of: "<DBInstanceStatus>available", with: "<DBInstanceStatus>deleting")
        let aws = try StubbedAWS(.rds, body: Self.result("DeleteDBInstance", deleting))
        let rds = RDSClient(client: aws.client)

        let skipped = try await rds.deleteDBInstance(
            .init(instanceIdentifier: "admin-db", finalSnapshot: .skip, deleteAutomatedBackups: false))
        #expect(skipped.value.status == "deleting")
        #expect(aws.form()["SkipFinalSnapshot"] == "true")
        #expect(aws.form()["FinalDBSnapshotIdentifier"] == nil)
        #expect(aws.form()["DeleteAutomatedBackups"] == "false")

        _ = try await rds.deleteDBInstance(.init(instanceIdentifier: "admin-db", finalSnapshot: .take(identifier: "admin-db-final")))
        #expect(aws.form()["SkipFinalSnapshot"] == "false")
        #expect(aws.form()["FinalDBSnapshotIdentifier"] == "admin-db-final")
        #expect(aws.form()["DeleteAutomatedBackups"] == nil)
    }

    @Test func createDBInstanceForAClusterMember() async throws {
        let member = Self.instanceXML.replacingOccurrences(
            of: "<DBInstanceStatus>available</DBInstanceStatus>",
            with: "<DBInstanceStatus>creating</DBInstanceStatus><DBClusterIdentifier>admin-cluster</DBClusterIdentifier>")
        let aws = try StubbedAWS(.rds, body: Self.result("CreateDBInstance", member))
        let result = try await RDSClient(client: aws.client).createDBInstance(
            .init(
                instanceIdentifier: "admin-cluster-1", instanceClass: "db.r6g.large", engine: "aurora-mysql",
                clusterIdentifier: "admin-cluster"))
        let form = aws.form()
        #expect(form["Action"] == "CreateDBInstance")
        #expect(form["DBInstanceIdentifier"] == "admin-cluster-1")
        #expect(form["DBInstanceClass"] == "db.r6g.large")
        #expect(form["Engine"] == "aurora-mysql")
        #expect(form["DBClusterIdentifier"] == "admin-cluster")
        #expect(form["MasterUserPassword"] == nil)
        #expect(result.value.dbClusterIdentifier == "admin-cluster")
        #expect(result.value.status == "creating")
    }

    @Test func addTagsToResourceSendsTagMembers() async throws {
        let aws = try StubbedAWS(.rds, body: Self.result("AddTagsToResource", ""))
        let requestId = try await RDSClient(client: aws.client).addTagsToResource(
            resourceArn: "arn:aws:rds:us-east-1:111111111111:db:admin-db", tags: ["b": "2", "a": "1"])
        let form = aws.form()
        #expect(form["ResourceName"] == "arn:aws:rds:us-east-1:111111111111:db:admin-db")
        #expect(form["Tags.Tag.1.Key"] == "a" && form["Tags.Tag.1.Value"] == "1")
        #expect(form["Tags.Tag.2.Key"] == "b" && form["Tags.Tag.2.Value"] == "2")
        #expect(requestId == "req-AddTagsToResource")
    }

    @Test func errorsKeepTheirAWSCodeAndRequestId() async throws {
        let aws = try StubbedAWS(
            .rds, status: 400,
            body: StubbedAWS.queryError("DBInstanceAlreadyExists", "DB instance already exists", requestId: "req-dup"))
        let error = await #expect(throws: AWSError.self) {
            try await RDSClient(client: aws.client).createDBInstance(
                .init(instanceIdentifier: "x", instanceClass: "db.t3.micro", engine: "mysql"))
        }
        #expect(error?.code == "DBInstanceAlreadyExists")
        #expect(error?.requestId == "req-dup")
        #expect(error?.operation == "CreateDBInstance")
        #expect(error?.resource == "x")
        #expect(error?.httpStatus == 400)
    }

    @Test(arguments: [
        (
            "instance without identifier",
            result(
                "DescribeDBInstances", "<DBInstances><DBInstance><DBInstanceStatus>available</DBInstanceStatus></DBInstance></DBInstances>")
        ),
        (
            "instance without status",
            result(
                "DescribeDBInstances", "<DBInstances><DBInstance><DBInstanceIdentifier>a</DBInstanceIdentifier></DBInstance></DBInstances>")
        ),
        (
            "MultiAZ not a boolean",
            describeResponse(marker: nil, instances: instanceXML.replacingOccurrences(of: "<MultiAZ>true", with: "<MultiAZ>yes"))
        ),
        (
            "port not a number",
            describeResponse(marker: nil, instances: instanceXML.replacingOccurrences(of: "<Port>3306", with: "<Port>x"))
        ),
        (
            "bad timestamp",
            describeResponse(marker: nil, instances: instanceXML.replacingOccurrences(of: "2023-04-12T08:15:42.123Z", with: "yesterday"))
        ),
        ("wrong root element", result("CreateDBSnapshot", "")),
        ("not XML", "<<<"),
    ])
    func malformedDescribeAnswersNameTheOperation(_ case: (String, String)) async throws {
        let aws = try StubbedAWS(.rds, body: `case`.1)
        let error = await #expect(throws: AWSError.self, "\(`case`.0)") {
            try await RDSClient(client: aws.client).describeDBInstances()
        }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.code == "MalformedResponse")
        #expect(error?.operation == "DescribeDBInstances")
    }

    @Test func aMutationAnswerWithoutItsResourceIsMalformed() async throws {
        let aws = try StubbedAWS(.rds, body: Self.result("RestoreDBInstanceFromDBSnapshot", ""))
        let error = await #expect(throws: AWSError.self) {
            try await RDSClient(client: aws.client).restoreDBInstanceFromDBSnapshot(.init(instanceIdentifier: "a", snapshotIdentifier: "s"))
        }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "RestoreDBInstanceFromDBSnapshot")
        #expect(error?.requestId == "req-RestoreDBInstanceFromDBSnapshot")
        #expect(error?.message.contains("DBInstance") == true)
    }
}
