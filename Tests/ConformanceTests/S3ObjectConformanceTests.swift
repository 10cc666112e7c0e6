import AWSServices
import Foundation
import TestSupport
import Testing

/// Object reads, writes, tags, copies and multipart copies, against moto.
@Suite("S3 objects against moto")
struct S3ObjectConformanceTests {
    /// moto 5.2.1 with signature checking rejects correctly signed requests (botocore's too) whose
    /// key holds `+ & = % * ' ( ) , ; : @ ! $` or non-ASCII: its canonical URI differs from AWS's.
    /// Those keys are covered by the unit tests' wire encoding; moto gets the characters it handles.
    static let awkwardKeys = ["plain", "dir/sub dir/file name.txt", "question?mark#hash", "~tilde.dot_under-score"]

    @Test func putHeadGetKeepMetadataChecksumAndContent() async throws {
        let moto = try await S3Moto()
        let bucket = try await moto.bucket(moto.a, "objects")
        let body = Data("hello, cutover".utf8)
        let options = S3WriteOptions(
            contentType: "text/plain", cacheControl: "max-age=60", contentDisposition: "inline", contentLanguage: "en",
            userMetadata: ["owner": "team-a", "purpose": "test"], tags: [S3Tag(key: "env", value: "prod + more=1")],
            storageClass: "STANDARD_IA", serverSideEncryption: "aws:kms",
            sseKMSKeyId: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555")
        let written = try await moto.a.putObject(bucket: bucket, key: "doc.txt", body: body, options: options)
        #expect(written.checksums["SHA256"] != nil)

        let head = try #require(try await moto.a.headObject(bucket: bucket, key: "doc.txt"))
        #expect(head.contentLength == Int64(body.count))
        #expect(head.eTag == written.eTag)
        #expect(head.userMetadata == ["owner": "team-a", "purpose": "test"])
        #expect(head.contentType == "text/plain")
        #expect(head.cacheControl == "max-age=60")
        #expect(head.contentDisposition == "inline")
        #expect(head.contentLanguage == "en")
        #expect(head.storageClass == "STANDARD_IA")
        #expect(head.serverSideEncryption == "aws:kms")
        #expect(head.sseKMSKeyId == options.sseKMSKeyId)
        #expect(head.checksums["SHA256"] == written.checksums["SHA256"])
        #expect(head.lastModified != nil)

        let content = try await moto.a.getObject(bucket: bucket, key: "doc.txt")
        #expect(content.body == body)
        #expect(content.metadata.userMetadata["owner"] == "team-a")

        let attributes = try await moto.a.getObjectAttributes(bucket: bucket, key: "doc.txt")
        #expect(attributes.objectSize == Int64(body.count))
        #expect(attributes.checksums["SHA256"] == written.checksums["SHA256"])
        #expect(attributes.storageClass == "STANDARD_IA")
        #expect(attributes.eTag.map { "\"\($0)\"" } == written.eTag)

        #expect(try await moto.a.getObjectTagging(bucket: bucket, key: "doc.txt") == [S3Tag(key: "env", value: "prod + more=1")])
        try await moto.a.putObjectTagging(bucket: bucket, key: "doc.txt", tags: [S3Tag(key: "a", value: "1"), S3Tag(key: "b", value: "2")])
        #expect(try await moto.a.getObjectTagging(bucket: bucket, key: "doc.txt").count == 2)
        try await moto.a.deleteObjectTagging(bucket: bucket, key: "doc.txt")
        #expect(try await moto.a.getObjectTagging(bucket: bucket, key: "doc.txt").isEmpty)

        #expect(try await moto.a.headObject(bucket: bucket, key: "missing") == nil)
        await expectAWSError("NoSuchKey") { try await moto.a.getObject(bucket: bucket, key: "missing") }
        await expectAWSError("PreconditionFailed") {
            try await moto.a.putObject(bucket: bucket, key: "doc.txt", body: body, ifNoneMatch: "*")
        }
        try await moto.destroy(moto.a, bucket)
    }

    @Test func awkwardKeysRoundTripThroughPutListHeadCopyAndDelete() async throws {
        let moto = try await S3Moto()
        let bucket = try await moto.bucket(moto.a, "keys")
        for key in Self.awkwardKeys {
            try await moto.a.putObject(bucket: bucket, key: key, body: Data(key.utf8))
        }
        let listed = try await moto.a.listAllObjects(bucket: bucket).map(\.key)
        #expect(Set(listed) == Set(Self.awkwardKeys))
        for key in Self.awkwardKeys {
            #expect(try await moto.a.headObject(bucket: bucket, key: key)?.contentLength == Int64(key.utf8.count), "\(key)")
            let copy = try await moto.a.copyObject(
                S3CopyObjectRequest(sourceBucket: bucket, sourceKey: key, bucket: bucket, key: "copy/" + key))
            #expect(copy.eTag.isEmpty == false)
            #expect(try await moto.a.getObject(bucket: bucket, key: "copy/" + key).body == Data(key.utf8), "\(key)")
        }
        let result = try await moto.a.deleteObjects(bucket: bucket, objects: Self.awkwardKeys.map { S3ObjectIdentifier(key: $0) })
        #expect(Set(result.deleted.map(\.key)) == Set(Self.awkwardKeys))
        #expect(result.errors.isEmpty)
        try await moto.destroy(moto.a, bucket)
    }

    @Test func crossAccountCopyKeepsMetadataAndSetsTagsStorageAndEncryption() async throws {
        let moto = try await S3Moto()
        let source = try await moto.bucket(moto.a, "src")
        let target = try await moto.bucket(moto.b, "dst")
        try await moto.a.putBucketVersioning(bucket: source, S3VersioningConfiguration(status: "Enabled"))
        let first = try await moto.a.putObject(
            bucket: source, key: "data/report.csv", body: Data("v1".utf8),
            options: S3WriteOptions(contentType: "text/csv", userMetadata: ["origin": "account-a"], tags: [S3Tag(key: "k", value: "v")]))
        try await moto.a.putObject(bucket: source, key: "data/report.csv", body: Data("v2-newer".utf8))

        let keyArn = "arn:aws:kms:us-east-1:\(moto.fixture.accountB):key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
        let copied = try await moto.b.copyObject(
            S3CopyObjectRequest(
                sourceBucket: source, sourceKey: "data/report.csv", sourceVersionId: first.versionId, bucket: target,
                key: "data/report.csv", taggingDirective: .replace,
                options: S3WriteOptions(
                    tags: [S3Tag(key: "k", value: "v")], storageClass: "STANDARD_IA", serverSideEncryption: "aws:kms", sseKMSKeyId: keyArn),
                checksumAlgorithm: "SHA256", expectedSourceBucketOwner: moto.fixture.accountA,
                expectedBucketOwner: moto.fixture.accountB))
        #expect(copied.sourceVersionId == first.versionId)
        #expect(copied.eTag == first.eTag)

        let head = try #require(try await moto.b.headObject(bucket: target, key: "data/report.csv"))
        #expect(head.userMetadata == ["origin": "account-a"])
        #expect(head.contentType == "text/csv")
        #expect(head.storageClass == "STANDARD_IA")
        #expect(head.sseKMSKeyId == keyArn)
        #expect(head.contentLength == 2)
        #expect(try await moto.b.getObjectTagging(bucket: target, key: "data/report.csv") == [S3Tag(key: "k", value: "v")])

        // REPLACE sends the new metadata and nothing of the old.
        let replaced = try await moto.b.copyObject(
            S3CopyObjectRequest(
                sourceBucket: source, sourceKey: "data/report.csv", bucket: target, key: "replaced.csv", metadataDirective: .replace,
                options: S3WriteOptions(contentType: "application/octet-stream", userMetadata: ["new": "yes"])))
        #expect(!replaced.eTag.isEmpty)
        let replacedHead = try #require(try await moto.b.headObject(bucket: target, key: "replaced.csv"))
        #expect(replacedHead.userMetadata == ["new": "yes"])
        #expect(replacedHead.contentType == "application/octet-stream")
        #expect(try await moto.b.getObject(bucket: target, key: "replaced.csv").body == Data("v2-newer".utf8))

        let missing = await expectAWSError("NoSuchKey") {
            try await moto.b.copyObject(S3CopyObjectRequest(sourceBucket: source, sourceKey: "nope", bucket: target, key: "x"))
        }
        #expect(missing?.operation == "CopyObject")
        try await moto.destroy(moto.a, source)
        try await moto.destroy(moto.b, target)
    }

    @Test func multipartCopyAcrossAccountsIsByteIdentical() async throws {
        let moto = try await S3Moto()
        let source = try await moto.bucket(moto.a, "mpsrc")
        let target = try await moto.bucket(moto.b, "mpdst")
        let partSize: Int64 = 5 * 1024 * 1024
        var bytes = [UInt8](repeating: 0, count: Int(partSize) * 2 + 12_345)
        for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 9) }
        let body = Data(bytes)
        try await moto.a.putObject(bucket: source, key: "big.bin", body: body, options: S3WriteOptions(userMetadata: ["size": "big"]))

        let sourceHead = try #require(try await moto.b.headObject(bucket: source, key: "big.bin"))
        let uploadId = try await moto.b.createMultipartUpload(
            bucket: target, key: "big.bin", options: S3WriteOptions(preserving: sourceHead))
        let inProgress = try await moto.b.listMultipartUploads(bucket: target)
        #expect(inProgress.uploads.map(\.uploadId) == [uploadId])
        #expect(inProgress.uploads.first?.key == "big.bin")

        var parts: [S3CompletedPart] = []
        var offset: Int64 = 0
        var number = 1
        while offset < Int64(body.count) {
            let last = min(offset + partSize, Int64(body.count)) - 1
            let part = try await moto.b.uploadPartCopy(
                bucket: target, key: "big.bin", uploadId: uploadId, partNumber: number, sourceBucket: source, sourceKey: "big.bin",
                range: offset...last, expectedSourceBucketOwner: moto.fixture.accountA)
            parts.append(S3CompletedPart(partNumber: number, eTag: part.eTag, checksums: part.checksums))
            offset = last + 1
            number += 1
        }
        #expect(parts.count == 3)
        // Completed in reverse order on purpose: the document is sorted by part number.
        let done = try await moto.b.completeMultipartUpload(bucket: target, key: "big.bin", uploadId: uploadId, parts: parts.reversed())
        #expect(done.eTag?.hasSuffix("-3\"") == true)
        let copy = try await moto.b.getObject(bucket: target, key: "big.bin")
        #expect(copy.body == body)
        #expect(copy.metadata.userMetadata == ["size": "big"])
        #expect(try await moto.b.listMultipartUploads(bucket: target).uploads.isEmpty)

        // An abandoned upload is listed and then aborted.
        let abandoned = try await moto.b.createMultipartUpload(bucket: target, key: "abandoned")
        #expect(try await moto.b.listMultipartUploads(bucket: target).uploads.map(\.uploadId) == [abandoned])
        try await moto.b.abortMultipartUpload(bucket: target, key: "abandoned", uploadId: abandoned)
        #expect(try await moto.b.listMultipartUploads(bucket: target).uploads.isEmpty)
        // Completing the aborted upload should be NoSuchUpload; moto answers HTTP 500, so not asserted.
        try await moto.destroy(moto.a, source)
        try await moto.destroy(moto.b, target)
    }
}
