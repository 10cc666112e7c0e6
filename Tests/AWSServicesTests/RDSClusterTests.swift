import AWSServices
import Foundation
import Testing

/// The Aurora calls: DescribeDBClusters, cluster snapshots, their sharing, copy and restore.
@Suite struct RDSClusterTests {
    static let clusterXML = """
        <DBCluster>
          <AllocatedStorage>1</AllocatedStorage>
          <AvailabilityZones><AvailabilityZone>ap-northeast-1a</AvailabilityZone></AvailabilityZones>
          <DBClusterIdentifier>admin-cluster</DBClusterIdentifier>
          <DBClusterParameterGroup>default.aurora-mysql8.0</DBClusterParameterGroup>
          <DBSubnetGroup>admin-private</DBSubnetGroup>
          <Status>available</Status>
          <Endpoint>admin-cluster.cluster-cxyz.ap-northeast-1.rds.amazonaws.com</Endpoint>
          <ReaderEndpoint>admin-cluster.cluster-ro-cxyz.ap-northeast-1.rds.amazonaws.com</ReaderEndpoint>
          <MultiAZ>false</MultiAZ>
          <Engine>aurora-mysql</Engine>
          <EngineVersion>8.0.mysql_aurora.3.05.2</EngineVersion>
          <Port>3306</Port>
          <DBClusterMembers>
            <DBClusterMember><DBInstanceIdentifier>admin-cluster-1</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter></DBClusterMember>
            <DBClusterMember><DBInstanceIdentifier>admin-cluster-2</DBInstanceIdentifier><IsClusterWriter>false</IsClusterWriter></DBClusterMember>
          </DBClusterMembers>
          <VpcSecurityGroups>
            <VpcSecurityGroupMembership><VpcSecurityGroupId>sg-0abc</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership>
          </VpcSecurityGroups>
          <StorageEncrypted>true</StorageEncrypted>
          <KmsKeyId>arn:aws:kms:ap-northeast-1:222222222222:key/bbbb</KmsKeyId>
          <DBClusterArn>arn:aws:rds:ap-northeast-1:222222222222:cluster:admin-cluster</DBClusterArn>
          <ClusterCreateTime>2026-12-01T01:30:00Z</ClusterCreateTime>
          <DeletionProtection>true</DeletionProtection>
          <TagList><Tag><Key>team</Key><Value>admin</Value></Tag></TagList>
        </DBCluster>
        """

    static let clusterSnapshotXML = """
        <DBClusterSnapshot>
          <DBClusterSnapshotIdentifier>admin-cluster-cutover</DBClusterSnapshotIdentifier>
          <DBClusterIdentifier>admin-cluster</DBClusterIdentifier>
          <SnapshotCreateTime>2026-12-01T01:05:00.25Z</SnapshotCreateTime>
          <Engine>aurora-mysql</Engine>
          <Status>creating</Status>
          <Port>0</Port>
          <VpcId>vpc-0123</VpcId>
          <EngineVersion>8.0.mysql_aurora.3.05.2</EngineVersion>
          <SnapshotType>manual</SnapshotType>
          <PercentProgress>10</PercentProgress>
          <StorageEncrypted>true</StorageEncrypted>
          <KmsKeyId>arn:aws:kms:ap-northeast-1:111111111111:key/aaaa</KmsKeyId>
          <DBClusterSnapshotArn>arn:aws:rds:ap-northeast-1:111111111111:cluster-snapshot:admin-cluster-cutover</DBClusterSnapshotArn>
          <SourceDBClusterSnapshotArn>arn:aws:rds:ap-northeast-1:111111111111:cluster-snapshot:rds:admin-cluster-2026-12-01</SourceDBClusterSnapshotArn>
          <TagList/>
        </DBClusterSnapshot>
        """

    @Test func describeDBClustersDecodesMembersAndEncryption() async throws {
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("DescribeDBClusters", "<DBClusters>\(Self.clusterXML)</DBClusters>"))
        let page = try await RDSClient(client: aws.client).describeDBClusters(.init(clusterIdentifier: "admin-cluster"))
        #expect(aws.form()["Action"] == "DescribeDBClusters")
        #expect(aws.form()["DBClusterIdentifier"] == "admin-cluster")
        let cluster = try #require(page.items.first)
        #expect(cluster.identifier == "admin-cluster" && cluster.status == "available")
        #expect(
            cluster.members == [
                .init(instanceIdentifier: "admin-cluster-1", isWriter: true), .init(instanceIdentifier: "admin-cluster-2", isWriter: false),
            ])
        #expect(cluster.storageEncrypted && cluster.kmsKeyId == "arn:aws:kms:ap-northeast-1:222222222222:key/bbbb")
        #expect(cluster.dbSubnetGroupName == "admin-private")
        #expect(cluster.vpcSecurityGroupIds == ["sg-0abc"])
        #expect(cluster.dbClusterParameterGroupName == "default.aurora-mysql8.0")
        #expect(cluster.endpoint == "admin-cluster.cluster-cxyz.ap-northeast-1.rds.amazonaws.com")
        #expect(cluster.readerEndpoint?.contains("cluster-ro") == true)
        #expect(cluster.port == 3306 && cluster.deletionProtection == true && cluster.multiAZ == false)
        #expect(cluster.arn == "arn:aws:rds:ap-northeast-1:222222222222:cluster:admin-cluster")
        #expect(cluster.clusterCreateTime == Date(timeIntervalSince1970: 1_796_088_600))
        #expect(cluster.tags == ["team": "admin"])
    }

    @Test func describeAllDBClustersFollowsMarkers() async throws {
        let aws = try StubbedAWS(.rds) { request in
            let marker = StubbedAWS.decodeForm(request.body)["Marker"] == nil ? "<Marker>c2</Marker>" : ""
            return .text(
                200, RDSInstanceTests.result("DescribeDBClusters", "\(marker)<DBClusters>\(RDSClusterTests.clusterXML)</DBClusters>"))
        }
        let all = try await RDSClient(client: aws.client).describeAllDBClusters()
        #expect(all.count == 2 && aws.form(1)["Marker"] == "c2")
    }

    @Test func clusterSnapshotCallsSendTheirIdentifiers() async throws {
        let aws = try StubbedAWS(.rds) { request in
            let action = StubbedAWS.decodeForm(request.body)["Action"] ?? ""
            let inner =
                action == "DescribeDBClusterSnapshots"
                ? "<DBClusterSnapshots>\(RDSClusterTests.clusterSnapshotXML)</DBClusterSnapshots>" : RDSClusterTests.clusterSnapshotXML
            return .text(200, RDSInstanceTests.result(action, inner))
        }
        let rds = RDSClient(client: aws.client)

        let created = try await rds.createDBClusterSnapshot(snapshotIdentifier: "admin-cluster-cutover", clusterIdentifier: "admin-cluster")
        #expect(aws.form()["DBClusterSnapshotIdentifier"] == "admin-cluster-cutover")
        #expect(aws.form()["DBClusterIdentifier"] == "admin-cluster")
        #expect(created.value.status == "creating" && created.value.percentProgress == 10)
        #expect(created.value.storageEncrypted)
        #expect(created.value.arn == "arn:aws:rds:ap-northeast-1:111111111111:cluster-snapshot:admin-cluster-cutover")
        #expect(created.value.sourceSnapshotArn?.hasSuffix("rds:admin-cluster-2026-12-01") == true)
        #expect(abs((created.value.snapshotCreateTime?.timeIntervalSince1970 ?? 0) - 1_796_087_100.25) < 0.000_5)

        let page = try await rds.describeDBClusterSnapshots(
            .init(snapshotIdentifier: "arn:aws:rds:x", snapshotType: .shared, includeShared: true))
        #expect(aws.form()["DBClusterSnapshotIdentifier"] == "arn:aws:rds:x")
        #expect(aws.form()["SnapshotType"] == "shared" && aws.form()["IncludeShared"] == "true")
        #expect(page.items.count == 1)

        _ = try await rds.copyDBClusterSnapshot(
            .init(sourceSnapshotIdentifier: "arn:aws:rds:x", targetSnapshotIdentifier: "copy", kmsKeyId: "arn:aws:kms:k", copyTags: false))
        let copy = aws.form()
        #expect(copy["Action"] == "CopyDBClusterSnapshot")
        #expect(copy["SourceDBClusterSnapshotIdentifier"] == "arn:aws:rds:x")
        #expect(copy["TargetDBClusterSnapshotIdentifier"] == "copy")
        #expect(copy["KmsKeyId"] == "arn:aws:kms:k" && copy["CopyTags"] == "false")
    }

    @Test func shareClusterSnapshotDecodesClusterAttributes() async throws {
        let attributes = """
            <DBClusterSnapshotAttributesResult>
              <DBClusterSnapshotIdentifier>admin-cluster-cutover</DBClusterSnapshotIdentifier>
              <DBClusterSnapshotAttributes>
                <DBClusterSnapshotAttribute><AttributeName>restore</AttributeName>
                  <AttributeValues><AttributeValue>222222222222</AttributeValue></AttributeValues></DBClusterSnapshotAttribute>
              </DBClusterSnapshotAttributes>
            </DBClusterSnapshotAttributesResult>
            """
        let aws = try StubbedAWS(.rds) { request in
            .text(200, RDSInstanceTests.result(StubbedAWS.decodeForm(request.body)["Action"] ?? "", attributes))
        }
        let rds = RDSClient(client: aws.client)
        let modified = try await rds.modifyDBClusterSnapshotAttribute(
            snapshotIdentifier: "admin-cluster-cutover", valuesToAdd: ["222222222222"])
        #expect(aws.form()["DBClusterSnapshotIdentifier"] == "admin-cluster-cutover")
        #expect(aws.form()["ValuesToAdd.AttributeValue.1"] == "222222222222")
        #expect(modified.value.restoreAccounts == ["222222222222"])
        let described = try await rds.describeDBClusterSnapshotAttributes(snapshotIdentifier: "admin-cluster-cutover")
        #expect(aws.form()["Action"] == "DescribeDBClusterSnapshotAttributes")
        #expect(described.value == modified.value)
    }

    @Test func restoreClusterSendsEngineKeyAndNetwork() async throws {
        let creating = Self.clusterXML.replacingOccurrences(of: "<Status>available", with: "<Status>creating")
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("RestoreDBClusterFromSnapshot", creating))
        let result = try await RDSClient(client: aws.client).restoreDBClusterFromSnapshot(
            .init(
                clusterIdentifier: "admin-cluster", snapshotIdentifier: "arn:aws:rds:ap-northeast-1:111111111111:cluster-snapshot:s",
                engine: "aurora-mysql", kmsKeyId: "arn:aws:kms:ap-northeast-1:222222222222:key/bbbb",
                dbSubnetGroupName: "admin-private", vpcSecurityGroupIds: ["sg-0abc"], deletionProtection: true))
        let form = aws.form()
        #expect(form["Action"] == "RestoreDBClusterFromSnapshot")
        #expect(form["DBClusterIdentifier"] == "admin-cluster")
        #expect(form["SnapshotIdentifier"] == "arn:aws:rds:ap-northeast-1:111111111111:cluster-snapshot:s")
        #expect(form["Engine"] == "aurora-mysql")
        #expect(form["KmsKeyId"] == "arn:aws:kms:ap-northeast-1:222222222222:key/bbbb")
        #expect(form["DBSubnetGroupName"] == "admin-private")
        #expect(form["VpcSecurityGroupIds.VpcSecurityGroupId.1"] == "sg-0abc")
        #expect(form["DeletionProtection"] == "true")
        #expect(result.value.status == "creating")
    }

    @Test func aClusterMemberWithoutIdentifierIsMalformed() async throws {
        let broken = Self.clusterXML.replacingOccurrences(of: "<DBInstanceIdentifier>admin-cluster-2</DBInstanceIdentifier>", with: "")
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("DescribeDBClusters", "<DBClusters>\(broken)</DBClusters>"))
        let error = await #expect(throws: AWSError.self) { try await RDSClient(client: aws.client).describeDBClusters() }
        #expect(error?.origin == .malformedResponse && error?.operation == "DescribeDBClusters")
    }

    @Test func aClusterSnapshotWithoutIdentifierIsMalformed() async throws {
        let broken = Self.clusterSnapshotXML.replacingOccurrences(
            of: "<DBClusterSnapshotIdentifier>admin-cluster-cutover</DBClusterSnapshotIdentifier>", with: "")
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("CreateDBClusterSnapshot", broken))
        let error = await #expect(throws: AWSError.self) {
            try await RDSClient(client: aws.client).createDBClusterSnapshot(snapshotIdentifier: "s", clusterIdentifier: "c")
        }
        #expect(error?.origin == .malformedResponse && error?.operation == "CreateDBClusterSnapshot")
    }
}
