import Audit
import Engine
import Testing

/// `audit show --terraform` from the audit log's calls alone: what a run created and left standing.
@Suite struct TerraformImportsTests {
    static let accounts = ["legacy": "111111111111", "product": "222222222222"]

    static func call(
        _ service: String, _ operation: String, _ resource: String, account: String = "222222222222",
        outcome: String = "ok", mutating: Bool = true
    ) -> AWSCallRecord {
        AWSCallRecord(
            service: service, operation: operation, account: account, region: "us-east-1", resource: resource,
            requestId: "req", outcome: outcome, mutating: mutating)
    }

    @Test func createdResourcesAreImportedWithTheirProviderAlias() {
        let imports = TerraformImports(
            calls: [
                Self.call("rds", "RestoreDBInstanceFromDBSnapshot", "admin-db"),
                Self.call("s3", "CreateBucket", "admin-images", account: "product"),
                Self.call("s3", "PutBucketPolicy", "admin-images", account: "product"),
                Self.call("s3", "PutBucketVersioning", "admin-images"),
                Self.call("s3", "PutBucketTagging", "admin-images"),
            ], accounts: Self.accounts)
        #expect(
            imports.resources.map { "\($0.type) \($0.id) \($0.account)" } == [
                "aws_db_instance admin-db product", "aws_s3_bucket admin-images product",
                "aws_s3_bucket_policy admin-images product", "aws_s3_bucket_versioning admin-images product",
            ])
        let text = imports.render(runId: "r-1", runbookName: "admin-console-cutover", status: "completed")
        #expect(
            text.contains(
                """
                import {
                  provider = aws.product
                  to       = aws_db_instance.admin_db
                  id       = "admin-db"
                }
                """))
        #expect(text.contains("to       = aws_s3_bucket_versioning.admin_images"))
        #expect(text.contains("# account product (222222222222)"))
    }

    @Test func deletedFailedAndReadCallsLeaveNothing() {
        let imports = TerraformImports(
            calls: [
                Self.call("s3", "CreateBucket", "staging"),
                Self.call("s3", "PutBucketPolicy", "staging"),
                Self.call("s3", "DeleteBucket", "staging"),
                Self.call("rds", "RestoreDBInstanceFromDBSnapshot", "admin-db", outcome: "InsufficientDBInstanceCapacity"),
                Self.call("rds", "DescribeDBInstances", "admin-db", mutating: false),
                Self.call("rds", "RestoreDBClusterFromSnapshot", "admin-cluster"),
                Self.call("rds", "CreateDBInstance", "admin-cluster-1"),
                Self.call("rds", "DeleteDBInstance", "arn:aws:rds:us-east-1:222222222222:db:admin-cluster-1"),
                Self.call("rds", "DeleteDBCluster", "arn:aws:rds:us-east-1:222222222222:cluster:admin-cluster"),
            ], accounts: Self.accounts)
        #expect(imports.resources.isEmpty)
        #expect(imports.render(runId: "r-2", runbookName: "x", status: "rolled-back").contains("nothing to import"))
    }

    @Test func configurationOfABucketTheRunDidNotCreateIsNotImported() {
        let imports = TerraformImports(
            calls: [
                Self.call("s3", "PutBucketPolicy", "admin-images", account: "111111111111"),
                Self.call("s3", "CreateBucket", "admin-images"),
            ], accounts: Self.accounts)
        #expect(imports.resources.map(\.type) == ["aws_s3_bucket"])
        #expect(imports.resources.first?.account == "product")
    }

    @Test func namesAreTerraformIdentifiersAndUnique() {
        let imports = TerraformImports(
            calls: [
                Self.call("s3", "CreateBucket", "9-images.example.com"),
                Self.call("s3", "CreateBucket", "9_images.example.com"),
            ], accounts: Self.accounts)
        let text = imports.render(runId: "r", runbookName: "x", status: "completed")
        #expect(text.contains("to       = aws_s3_bucket._9_images_example_com\n"))
        #expect(text.contains("to       = aws_s3_bucket._9_images_example_com_2\n"))
    }
}
