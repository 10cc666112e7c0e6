import AWSServices
import Foundation
import TestSupport
import Testing

/// Bucket creation, the shared name space across accounts, location and signatures, against moto.
@Suite("S3 buckets against moto")
struct S3BucketConformanceTests {
    @Test func bucketCreatedByBIsTakenForA() async throws {
        let moto = try await S3Moto()
        let name = try await moto.bucket(moto.b, "taken")
        let error = await expectAWSError("BucketAlreadyExists") { try await moto.a.createBucket(name) }
        #expect(error?.httpStatus == 409)
        #expect(error?.operation == "CreateBucket")
        #expect(error?.resource == name)
        // The owner gets BucketAlreadyOwnedByYou outside us-east-1 (moto, like AWS)…
        let west = try await moto.bucket(moto.b(in: "eu-west-1"), "owned")
        await expectAWSError("BucketAlreadyOwnedByYou") { try await moto.b(in: "eu-west-1").createBucket(west) }
        // …and 200 in us-east-1 (the legacy behaviour: a same-name move must check ownership itself).
        try await moto.b.createBucket(name)
        try await moto.destroy(moto.b, west)
        try await moto.destroy(moto.b, name)
        #expect(try await moto.b.headBucket(name) == nil)
    }

    @Test func headBucketReportsRegionAndNilWhenMissing() async throws {
        let moto = try await S3Moto()
        let east = try await moto.bucket(moto.a, "east")
        let west = try await moto.bucket(moto.a, "west", region: "eu-west-1")
        #expect(try await moto.a.headBucket(east)?.region == "us-east-1")
        #expect(try await moto.a.headBucket(west)?.region == "eu-west-1")
        // B can see A's bucket: moto needs no policy for it (MOTO-NOTES §2).
        #expect(try await moto.b.headBucket(west)?.region == "eu-west-1")
        #expect(try await moto.a.getBucketLocation(east) == "us-east-1")
        #expect(try await moto.a.getBucketLocation(west) == "eu-west-1")
        #expect(try await moto.a.headBucket(MotoFixture.uniqueName("cutover-none")) == nil)
        await expectAWSError("NoSuchBucket") { try await moto.a.getBucketLocation(MotoFixture.uniqueName("cutover-none")) }
        try await moto.destroy(moto.a, east)
        try await moto.destroy(moto.a, west)
    }

    @Test func deleteBucketRefusesNonEmptyBucket() async throws {
        let moto = try await S3Moto()
        let name = try await moto.bucket(moto.a, "nonempty")
        try await moto.a.putObject(bucket: name, key: "k", body: Data("x".utf8))
        let error = await expectAWSError("BucketNotEmpty") { try await moto.a.deleteBucket(name) }
        #expect(error?.httpStatus == 409)
        try await moto.destroy(moto.a, name)
        await expectAWSError("NoSuchBucket") { try await moto.a.deleteBucket(name) }
    }

    @Test func bucketCreatedWithObjectLockHasLockConfiguration() async throws {
        let moto = try await S3Moto()
        let name = try await moto.bucket(moto.a, "lock", objectLock: true)
        let captured = try #require(try await moto.a.getBucketSubresource(.objectLock, bucket: name))
        #expect(captured.xml?.string("ObjectLockEnabled") == "Enabled")
        // Object Lock turns versioning on.
        #expect(try await moto.a.getBucketVersioning(bucket: name).isEnabled)
        let rule = """
            <ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ObjectLockEnabled>Enabled</ObjectLockEnabled>\
            <Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>
            """
        try await moto.a.putBucketSubresource(BucketSubresourceDocument(subresource: .objectLock, document: rule), bucket: name)
        let withRule = try #require(try await moto.a.getBucketSubresource(.objectLock, bucket: name))
        #expect(withRule.xml?.path("Rule", "DefaultRetention", "Mode")?.trimmedText == "GOVERNANCE")
        #expect(withRule.xml?.path("Rule", "DefaultRetention", "Days")?.trimmedText == "1")
        await #expect(throws: S3RequestError.self) { try await moto.a.deleteBucketSubresource(.objectLock, bucket: name) }

        // An object under legal hold and governance retention: HeadObject shows both.
        let until = Date().addingTimeInterval(3600)
        try await moto.a.putObject(
            bucket: name, key: "locked", body: Data("held".utf8),
            options: S3WriteOptions(objectLockMode: "GOVERNANCE", objectLockRetainUntil: until, objectLockLegalHold: "OFF"))
        let head = try #require(try await moto.a.headObject(bucket: name, key: "locked"))
        #expect(head.objectLockMode == "GOVERNANCE")
        #expect(abs((head.objectLockRetainUntil ?? .distantPast).timeIntervalSince(until)) < 2)
        #expect(head.objectLockLegalHold == "OFF")
        #expect(head.versionId != nil)

        // Deleting the locked version without bypass fails per key inside a 200 answer.
        let version = try #require(head.versionId)
        let refused = try await moto.a.deleteObjects(bucket: name, objects: [S3ObjectIdentifier(key: "locked", versionId: version)])
        #expect(refused.deleted.isEmpty)
        #expect(refused.errors.map(\.code) == ["AccessDenied"])
        #expect(refused.errors.first?.key == "locked")
        try await moto.destroy(moto.a, name)
    }

    @Test func lockConfigurationIsNotConfiguredOnPlainBucket() async throws {
        let moto = try await S3Moto()
        let name = try await moto.bucket(moto.a, "nolock")
        #expect(try await moto.a.getBucketSubresource(.objectLock, bucket: name) == nil)
        try await moto.destroy(moto.a, name)
    }

    @Test func wrongSecretIsRejectedWithSignatureDoesNotMatch() async throws {
        let fixture = try MotoFixture.load()
        let bad = AWSCredentials(accessKeyId: fixture.accessKeyId, secretAccessKey: fixture.secretAccessKey + "x")
        let s3 = S3Client(client: fixture.client(.s3, credentials: StaticCredentialProvider(bad), account: fixture.accountA))
        let error = await expectAWSError("SignatureDoesNotMatch") {
            try await s3.listObjectsV2(bucket: MotoFixture.uniqueName("cutover-sig"))
        }
        #expect(error?.httpStatus == 403)
        #expect(error?.account == fixture.accountA)
    }

    @Test func accountBIsolatesBucketTagsButSharesNames() async throws {
        // moto keeps bucket tags per calling account (MOTO-NOTES §3); only the owner's view is
        // asserted here.
        let moto = try await S3Moto()
        let name = try await moto.bucket(moto.b, "btags")
        try await moto.b.putBucketTagging(bucket: name, tags: [S3Tag(key: "team", value: "data")])
        #expect(try await moto.b.getBucketTagging(bucket: name) == [S3Tag(key: "team", value: "data")])
        try await moto.destroy(moto.b, name)
    }
}
