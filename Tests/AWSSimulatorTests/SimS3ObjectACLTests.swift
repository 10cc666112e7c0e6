import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// Object ACLs, Object Ownership and Block Public Access in the simulator, through our own
/// S3Client (docs/SIMULATOR.md "Object ACLs and Object Ownership"; AWS-NOTES-2 [ACL-1]–[ACL-6]).
@Suite("SimS3: object ACLs and ownership")
struct SimS3ObjectACLTests {
    typealias World = SimS3ClientTests.World
    static let legacy = SimS3ClientTests.legacy
    static let product = SimS3ClientTests.product

    /// A bucket from before April 2023 as seen through the client: ACLs on, no Block Public Access.
    static func legacyBucket(_ world: World, _ name: String = "legacy-assets") throws {
        try world.simulator.seedBucket(name, account: legacy, modernDefaults: false)
    }

    static func put(_ client: S3Client, _ bucket: String, _ key: String, _ options: S3WriteOptions = S3WriteOptions()) async throws {
        _ = try await client.putObject(bucket: bucket, key: key, body: Data("x".utf8), options: options)
    }

    @Test func canonicalIdsAreStablePerAccountAndOwnTheDefaultACL() async throws {
        let world = try World()
        try Self.legacyBucket(world)
        let legacyId = try await world.legacy.callerCanonicalUserId()
        #expect(legacyId.count == 64)
        #expect(try await world.legacy.callerCanonicalUserId() == legacyId)
        #expect(try await world.product.callerCanonicalUserId() != legacyId)
        try await Self.put(world.legacy, "legacy-assets", "a.txt")
        let acl = try await world.legacy.getObjectAcl(bucket: "legacy-assets", key: "a.txt")
        #expect(acl.ownerId == legacyId)
        #expect(acl.grants == [S3Grant(.canonicalUser(legacyId), "FULL_CONTROL")])
        #expect(acl.extraGrants.isEmpty)
    }

    @Test func newBucketsEnforceOwnershipAndRefuseACLs() async throws {
        let world = try World()
        _ = try await world.legacy.createBucket("modern")
        #expect(try await world.legacy.getBucketOwnershipControls(bucket: "modern") == "BucketOwnerEnforced")
        #expect(try await world.legacy.getPublicAccessBlock(bucket: "modern")?.blockPublicAcls == true)
        await #expect(throws: AWSError.self) { try await Self.put(world.legacy, "modern", "p.txt", S3WriteOptions(acl: "public-read")) }
        do {
            try await Self.put(world.legacy, "modern", "p.txt", S3WriteOptions(acl: "public-read"))
        } catch let error as AWSError {
            #expect(error.code == "AccessControlListNotSupported")
            #expect(error.httpStatus == 400)
        }
        // The owner's full control (or its canned form) is accepted; ACL reads work.
        try await Self.put(world.legacy, "modern", "ok.txt", S3WriteOptions(acl: "bucket-owner-full-control"))
        let acl = try await world.legacy.getObjectAcl(bucket: "modern", key: "ok.txt")
        #expect(acl.extraGrants.isEmpty)
        var grants = S3WriteOptions()
        grants.grants = [S3Grant(.group(S3Grant.allUsers), "READ")]
        await #expect(throws: AWSError.self) { try await Self.put(world.legacy, "modern", "g.txt", grants) }
        await #expect(throws: AWSError.self) {
            try await world.legacy.putObjectAcl(bucket: "modern", key: "ok.txt", canned: "public-read")
        }
    }

    @Test func ownershipControlsCanBeChangedAndRemoved() async throws {
        let world = try World()
        _ = try await world.legacy.createBucket("switch")
        try await world.legacy.putBucketOwnershipControls(bucket: "switch", objectOwnership: "ObjectWriter")
        #expect(try await world.legacy.getBucketOwnershipControls(bucket: "switch") == "ObjectWriter")
        try await world.legacy.putBucketOwnershipControls(bucket: "switch", objectOwnership: "BucketOwnerPreferred")
        #expect(try await world.legacy.getBucketOwnershipControls(bucket: "switch") == "BucketOwnerPreferred")
        try await world.legacy.deleteBucketSubresource(.ownershipControls, bucket: "switch")
        #expect(try await world.legacy.getBucketOwnershipControls(bucket: "switch") == nil)
    }

    @Test func cannedAndGrantHeadersSetTheACLAndBodiesReplaceIt() async throws {
        let world = try World()
        try Self.legacyBucket(world)
        let legacyId = try await world.legacy.callerCanonicalUserId()
        let productId = try await world.product.callerCanonicalUserId()
        try await Self.put(world.legacy, "legacy-assets", "public.jpg", S3WriteOptions(acl: "public-read"))
        #expect(
            try await world.legacy.getObjectAcl(bucket: "legacy-assets", key: "public.jpg").extraGrants
                == [S3Grant(.group(S3Grant.allUsers), "READ")])
        #expect(world.simulator.isPubliclyReadable(bucket: "legacy-assets", key: "public.jpg"))

        var options = S3WriteOptions()
        options.grants = [
            S3Grant(.canonicalUser(legacyId), "FULL_CONTROL"), S3Grant(.canonicalUser(productId), "READ"),
            S3Grant(.group(S3Grant.authenticatedUsers), "READ_ACP"),
        ]
        try await Self.put(world.legacy, "legacy-assets", "shared.jpg", options)
        let shared = try await world.legacy.getObjectAcl(bucket: "legacy-assets", key: "shared.jpg")
        #expect(Set(shared.grants) == Set(options.grants!))
        #expect(!world.simulator.isPubliclyReadable(bucket: "legacy-assets", key: "shared.jpg"))

        // Canned and explicit grants together: InvalidRequest ([ACL-6]).
        var both = options
        both.acl = "private"
        do {
            try await Self.put(world.legacy, "legacy-assets", "both.jpg", both)
            Issue.record("canned + grants accepted")
        } catch let error as AWSError {
            #expect(error.code == "InvalidRequest")
        }

        // PutObjectAcl with an AccessControlPolicy body replaces the ACL.
        let policy = S3AccessControlPolicy(ownerId: legacyId, grants: [S3Grant(.canonicalUser(legacyId), "FULL_CONTROL")])
        try await world.legacy.putObjectAcl(bucket: "legacy-assets", key: "public.jpg", policy: policy)
        #expect(try await world.legacy.getObjectAcl(bucket: "legacy-assets", key: "public.jpg").grants == policy.grants)
        #expect(!world.simulator.isPubliclyReadable(bucket: "legacy-assets", key: "public.jpg"))
    }

    @Test func copyObjectNeverCarriesTheSourceACL() async throws {
        let world = try World()
        try Self.legacyBucket(world)
        try await Self.put(world.legacy, "legacy-assets", "public.jpg", S3WriteOptions(acl: "public-read"))
        _ = try await world.legacy.copyObject(
            S3CopyObjectRequest(
                sourceBucket: "legacy-assets", sourceKey: "public.jpg", bucket: "legacy-assets", key: "copy.jpg"))
        #expect(try await world.legacy.getObjectAcl(bucket: "legacy-assets", key: "copy.jpg").extraGrants.isEmpty)
        var options = S3WriteOptions()
        options.grants = [S3Grant(.group(S3Grant.allUsers), "READ")]
        _ = try await world.legacy.copyObject(
            S3CopyObjectRequest(
                sourceBucket: "legacy-assets", sourceKey: "public.jpg", bucket: "legacy-assets", key: "granted.jpg", options: options))
        #expect(
            try await world.legacy.getObjectAcl(bucket: "legacy-assets", key: "granted.jpg").grants
                == [S3Grant(.group(S3Grant.allUsers), "READ")])
        #expect(world.simulator.isPubliclyReadable(bucket: "legacy-assets", key: "granted.jpg"))
    }

    @Test func blockPublicAclsRefusesAndIgnorePublicAclsNeutralises() async throws {
        let world = try World()
        try Self.legacyBucket(world)
        try await Self.put(world.legacy, "legacy-assets", "old.jpg", S3WriteOptions(acl: "public-read"))
        try await world.legacy.putPublicAccessBlock(
            bucket: "legacy-assets",
            S3PublicAccessBlock(blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false))
        do {
            try await Self.put(world.legacy, "legacy-assets", "new.jpg", S3WriteOptions(acl: "public-read"))
            Issue.record("public ACL accepted under BlockPublicAcls")
        } catch let error as AWSError {
            #expect(error.code == "AccessDenied")
            #expect(error.httpStatus == 403)
        }
        // Existing public grants stay (BlockPublicAcls only refuses new ones); private writes pass.
        #expect(world.simulator.isPubliclyReadable(bucket: "legacy-assets", key: "old.jpg"))
        try await Self.put(world.legacy, "legacy-assets", "new.jpg", S3WriteOptions(acl: "private"))

        try await world.legacy.putPublicAccessBlock(
            bucket: "legacy-assets",
            S3PublicAccessBlock(blockPublicAcls: false, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false))
        try await Self.put(world.legacy, "legacy-assets", "ignored.jpg", S3WriteOptions(acl: "public-read"))
        #expect(try await world.legacy.getObjectAcl(bucket: "legacy-assets", key: "ignored.jpg").extraGrants.contains(where: \.isPublic))
        #expect(!world.simulator.isPubliclyReadable(bucket: "legacy-assets", key: "ignored.jpg"))
        #expect(!world.simulator.isPubliclyReadable(bucket: "legacy-assets", key: "old.jpg"))
    }

    @Test func aSeedCarriesOwnershipAndObjectACLs() throws {
        let world = try World()
        let json = """
            {"name": "seeded", "account": "\(Self.legacy)", "ownership": "ObjectWriter",
             "objects": [{"key": "pub.jpg", "text": "p", "acl": "public-read"},
                         {"key": "shared.jpg", "text": "s", "grants": [{"account": "\(Self.product)", "permission": "READ"}]},
                         {"key": "plain.jpg", "text": "q"}]}
            """
        try world.simulator.seed(try JSONDecoder().decode(S3BucketSeed.self, from: Data(json.utf8)))
        #expect(world.simulator.bucketConfiguration(.ownershipControls, bucket: "seeded")?.contains("ObjectWriter") == true)
        #expect(world.simulator.bucketConfiguration(.publicAccessBlock, bucket: "seeded") == nil)
        #expect(world.simulator.isPubliclyReadable(bucket: "seeded", key: "pub.jpg"))
        let shared = try #require(world.simulator.objectACL(bucket: "seeded", key: "shared.jpg"))
        #expect(shared.grants.contains(S3ObjectGrant(.canonicalUser(S3State.canonicalUserId(Self.product)), "READ")))
        #expect(world.simulator.objectACL(bucket: "seeded", key: "plain.jpg")?.grants.count == 1)
    }
}
