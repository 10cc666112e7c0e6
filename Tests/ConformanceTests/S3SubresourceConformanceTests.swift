import AWSServices
import Foundation
import TestSupport
import Testing

/// Every bucket configuration a same-name move captures and restores: put → get → delete, and
/// "not configured" as nil before and after, against moto.
@Suite("S3 bucket configuration against moto")
struct S3SubresourceConformanceTests {
    static let ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""

    /// A document per sub-resource, and an element path whose text the GET must echo.
    static func samples(bucket: String, logTarget: String, account: String) -> [(BucketSubresource, String, [String], String)] {
        [
            (
                .encryption,
                "<ServerSideEncryptionConfiguration \(ns)><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>arn:aws:kms:us-east-1:\(account):key/k1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>",
                ["Rule", "ApplyServerSideEncryptionByDefault", "KMSMasterKeyID"], "arn:aws:kms:us-east-1:\(account):key/k1"
            ),
            (
                .cors,
                "<CORSConfiguration \(ns)><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://example.com</AllowedOrigin><MaxAgeSeconds>300</MaxAgeSeconds></CORSRule></CORSConfiguration>",
                ["CORSRule", "AllowedOrigin"], "https://example.com"
            ),
            (
                .lifecycle,
                "<LifecycleConfiguration \(ns)><Rule><ID>expire-tmp</ID><Filter><Prefix>tmp</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>",
                ["Rule", "ID"], "expire-tmp"
            ),
            (
                .tagging,
                "<Tagging \(ns)><TagSet><Tag><Key>cost-center</Key><Value>42</Value></Tag></TagSet></Tagging>",
                ["TagSet", "Tag", "Key"], "cost-center"
            ),
            (
                .publicAccessBlock,
                "<PublicAccessBlockConfiguration \(ns)><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
                ["BlockPublicPolicy"], "false"
            ),
            (
                .ownershipControls,
                "<OwnershipControls \(ns)><Rule><ObjectOwnership>BucketOwnerPreferred</ObjectOwnership></Rule></OwnershipControls>",
                ["Rule", "ObjectOwnership"], "BucketOwnerPreferred"
            ),
            (
                .website,
                "<WebsiteConfiguration \(ns)><IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>error.html</Key></ErrorDocument><RoutingRules><RoutingRule><Condition><KeyPrefixEqualTo>docs</KeyPrefixEqualTo></Condition><Redirect><ReplaceKeyPrefixWith>documents</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>",
                ["ErrorDocument", "Key"], "error.html"
            ),
            (
                .logging,
                "<BucketLoggingStatus \(ns)><LoggingEnabled><TargetBucket>\(logTarget)</TargetBucket><TargetPrefix>logs-</TargetPrefix></LoggingEnabled></BucketLoggingStatus>",
                ["LoggingEnabled", "TargetBucket"], logTarget
            ),
            (
                .notification,
                "<NotificationConfiguration \(ns)><QueueConfiguration><Id>q</Id><Queue>arn:aws:sqs:us-east-1:\(account):events</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>",
                ["QueueConfiguration", "Queue"], "arn:aws:sqs:us-east-1:\(account):events"
            ),
            (
                .replication,
                "<ReplicationConfiguration \(ns)><Role>arn:aws:iam::\(account):role/replication</Role><Rule><ID>all</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix></Prefix></Filter><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::\(logTarget)</Bucket></Destination></Rule></ReplicationConfiguration>",
                ["Role"], "arn:aws:iam::\(account):role/replication"
            ),
            (
                .accelerate,
                "<AccelerateConfiguration \(ns)><Status>Enabled</Status></AccelerateConfiguration>", ["Status"], "Enabled"
            ),
        ]
    }

    @Test(arguments: [false, true])
    func everyConfigurationRoundTripsAndReadsNilWhenUnset(inAccountB: Bool) async throws {
        let moto = try await S3Moto()
        let s3 = inAccountB ? moto.b : moto.a
        let account = inAccountB ? moto.fixture.accountB : moto.fixture.accountA
        let bucket = try await moto.bucket(s3, "config")
        let other = try await moto.bucket(s3, "logs")
        // Replication needs versioning on both sides; logging needs the target to admit delivery.
        try await s3.putBucketVersioning(bucket: bucket, S3VersioningConfiguration(status: "Enabled"))
        try await s3.putBucketVersioning(bucket: other, S3VersioningConfiguration(status: "Enabled"))
        try await s3.putBucketPolicy(
            bucket: other,
            policy:
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::\#(other)/*"}]}"#
        )

        for (subresource, document, path, expected) in Self.samples(bucket: bucket, logTarget: other, account: account) {
            #expect(try await s3.getBucketSubresource(subresource, bucket: bucket) == nil, "\(subresource) before put")
            try await s3.putBucketSubresource(BucketSubresourceDocument(subresource: subresource, document: document), bucket: bucket)
            let captured = try #require(try await s3.getBucketSubresource(subresource, bucket: bucket), "\(subresource) after put")
            #expect(captured.subresource == subresource)
            let root = try #require(captured.xml, "\(subresource) captured document parses")
            #expect(root.localName == subresource.rootElement)
            #expect(path.reduce(Optional(root)) { $0?.child($1) }?.trimmedText == expected, "\(subresource): \(captured.document)")

            // What was captured can be put again as it is (the restore path).
            try await s3.putBucketSubresource(captured, bucket: bucket)
            try await s3.deleteBucketSubresource(subresource, bucket: bucket)
            let after = try await s3.getBucketSubresource(subresource, bucket: bucket)
            if subresource == .accelerate {
                // Acceleration cannot be unset, only suspended (as on AWS).
                #expect(after?.xml?.string("Status") == "Suspended")
            } else {
                #expect(after == nil, "\(subresource) after delete")
            }
        }

        // The policy is JSON, carried verbatim.
        #expect(try await s3.getBucketPolicy(bucket: bucket) == nil)
        let policy =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::\#(bucket)"}]}"#
        try await s3.putBucketPolicy(bucket: bucket, policy: policy)
        let readBack = try #require(try await s3.getBucketPolicy(bucket: bucket))
        let parsed = try JSONSerialization.jsonObject(with: Data(readBack.utf8)) as? [String: Any]
        #expect((parsed?["Statement"] as? [[String: Any]])?.first?["Action"] as? String == "s3:DeleteBucket")
        try await s3.deleteBucketSubresource(.policy, bucket: bucket)
        #expect(try await s3.getBucketPolicy(bucket: bucket) == nil)

        try await s3.deleteBucketSubresource(.policy, bucket: other)
        try await moto.destroy(s3, bucket)
        try await moto.destroy(s3, other)
    }

    @Test func typedConfigurationsReadWhatWasWritten() async throws {
        let moto = try await S3Moto()
        let bucket = try await moto.bucket(moto.a, "typed")
        #expect(try await moto.a.getPublicAccessBlock(bucket: bucket) == nil)
        let block = S3PublicAccessBlock(
            blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false)
        try await moto.a.putPublicAccessBlock(bucket: bucket, block)
        #expect(try await moto.a.getPublicAccessBlock(bucket: bucket) == block)

        #expect(try await moto.a.getBucketOwnershipControls(bucket: bucket) == nil)
        try await moto.a.putBucketOwnershipControls(bucket: bucket, objectOwnership: "BucketOwnerEnforced")
        #expect(try await moto.a.getBucketOwnershipControls(bucket: bucket) == "BucketOwnerEnforced")

        #expect(try await moto.a.getBucketAccelerate(bucket: bucket) == nil)
        try await moto.a.putBucketAccelerate(bucket: bucket, status: "Enabled")
        #expect(try await moto.a.getBucketAccelerate(bucket: bucket) == "Enabled")
        try await moto.a.deleteBucketSubresource(.accelerate, bucket: bucket)
        #expect(try await moto.a.getBucketAccelerate(bucket: bucket) == "Suspended")

        #expect(try await moto.a.getBucketTagging(bucket: bucket) == nil)
        let tags = [S3Tag(key: "owner", value: "platform"), S3Tag(key: "env", value: "prod")]
        try await moto.a.putBucketTagging(bucket: bucket, tags: tags)
        #expect(Set(try await moto.a.getBucketTagging(bucket: bucket) ?? []) == Set(tags))

        #expect(try await moto.a.getBucketVersioning(bucket: bucket) == S3VersioningConfiguration(status: nil))
        try await moto.a.putBucketVersioning(bucket: bucket, S3VersioningConfiguration(status: "Suspended"))
        #expect(try await moto.a.getBucketVersioning(bucket: bucket).status == "Suspended")
        await #expect(throws: S3RequestError.self) { try await moto.a.deleteBucketSubresource(.versioning, bucket: bucket) }
        try await moto.destroy(moto.a, bucket)
    }

    @Test func requestPaymentAnswerFromMotoIsRejectedAsMalformed() async throws {
        // moto does not implement request payment: the PUT answers 200 and the GET a
        // <ListBucketResult>. That body must never pass for a configuration.
        let moto = try await S3Moto()
        let bucket = try await moto.bucket(moto.a, "payer")
        try await moto.a.putBucketRequestPayment(bucket: bucket, payer: "Requester")
        let error = await expectAWSError("MalformedResponse") { try await moto.a.getBucketRequestPayment(bucket: bucket) }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "GetBucketRequestPayment")
        await expectAWSError("MalformedResponse") { try await moto.a.getBucketSubresource(.requestPayment, bucket: bucket) }
        try await moto.destroy(moto.a, bucket)
    }
}
