import AWSServices
import Foundation
import TestSupport
import Testing

/// The typed object ACL calls against moto (signature checking on): GetObjectAcl's
/// AccessControlPolicy decodes (xsi:type grantees), PutObjectAcl's body and the `x-amz-grant-*`
/// headers of PutObject and CopyObject are what S3 accepts, and ListBuckets gives the caller's
/// canonical ID. moto gaps (enforcement is the simulator's): it stores ownership and Block Public
/// Access without enforcing them (AWS-NOTES-2 [ACL-6]); ListBuckets' owner ID is one constant for
/// every account and differs from the owner GetObjectAcl shows; of several grantees in one
/// `x-amz-grant-*` header it keeps only the first (AWS keeps all), so this test sends one each.
@Suite struct S3ObjectACLConformanceTests {
    @Test func grantsRoundTripThroughGetAndPutObjectAclAndCopyHeaders() async throws {
        let moto = try await S3Moto()
        let bucket = try await moto.bucket(moto.a, "acl")
        #expect(try await moto.a.callerCanonicalUserId().isEmpty == false)

        _ = try await moto.a.putObject(bucket: bucket, key: "p.jpg", body: Data("p".utf8), options: S3WriteOptions(acl: "public-read"))
        let publicACL = try await moto.a.getObjectAcl(bucket: bucket, key: "p.jpg")
        let ownerId = try #require(publicACL.ownerId)
        let otherId = String(repeating: "ab", count: 32)
        #expect(publicACL.extraGrants.contains(S3Grant(.group(S3Grant.allUsers), "READ")))

        var options = S3WriteOptions()
        options.grants = [
            S3Grant(.canonicalUser(ownerId), "FULL_CONTROL"), S3Grant(.canonicalUser(otherId), "READ_ACP"),
            S3Grant(.group(S3Grant.allUsers), "READ"),
        ]
        _ = try await moto.a.copyObject(
            S3CopyObjectRequest(
                sourceBucket: bucket, sourceKey: "p.jpg", bucket: bucket, key: "copy.jpg", options: options))
        let copied = try await moto.a.getObjectAcl(bucket: bucket, key: "copy.jpg")
        #expect(Set(copied.grants) == Set(options.grants!))

        let policy = S3AccessControlPolicy(ownerId: ownerId, grants: [S3Grant(.canonicalUser(ownerId), "FULL_CONTROL")])
        try await moto.a.putObjectAcl(bucket: bucket, key: "copy.jpg", policy: policy)
        #expect(try await moto.a.getObjectAcl(bucket: bucket, key: "copy.jpg").grants == policy.grants)
        try await moto.destroy(moto.a, bucket)
    }
}
