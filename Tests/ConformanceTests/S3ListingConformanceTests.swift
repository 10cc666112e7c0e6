import AWSServices
import Foundation
import TestSupport
import Testing

/// Listings and bulk deletes across pages, against moto.
@Suite("S3 listings against moto")
struct S3ListingConformanceTests {
    @Test func listingPagesOverMoreThanAThousandKeysAndBatchDeletes() async throws {
        let moto = try await S3Moto()
        let bucket = try await moto.bucket(moto.a, "many")
        let keys = (0..<1_050).map { String(format: "obj-%05d", $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            for _ in 0..<12 {
                let start = next
                next += 1
                group.addTask {
                    var index = start
                    while index < keys.count {
                        try await moto.a.putObject(
                            bucket: bucket, key: keys[index], body: Data([UInt8(index & 0xFF)]), checksumSHA256: false)
                        index += 12
                    }
                }
            }
            try await group.waitForAll()
        }
        var pages = 0
        var listed: [String] = []
        for try await page in moto.a.listObjectsV2Pages(bucket: bucket, prefix: "obj-") {
            pages += 1
            listed += page.objects.map(\.key)
            #expect(page.objects.count <= 1_000)
        }
        #expect(pages == 2)
        #expect(listed == keys)

        var smallPages = 0
        for try await page in moto.a.listObjectsV2Pages(bucket: bucket, maxKeys: 400) {
            smallPages += 1
            #expect(page.keyCount == page.objects.count)
        }
        #expect(smallPages == 3)
        let afterStart = try await moto.a.listObjectsV2(bucket: bucket, maxKeys: 2, startAfter: "obj-01047")
        #expect(afterStart.objects.map(\.key) == ["obj-01048", "obj-01049"])
        // "/" in a query value trips moto's signature check (as with botocore), so "-" delimits.
        let rolledUp = try await moto.a.listObjectsV2(bucket: bucket, delimiter: "-")
        #expect(rolledUp.commonPrefixes == ["obj-"])
        #expect(rolledUp.objects.isEmpty)

        let all = keys.map { S3ObjectIdentifier(key: $0) }
        await #expect(throws: S3RequestError.self) { try await moto.a.deleteObjects(bucket: bucket, objects: all) }
        let first = try await moto.a.deleteObjects(bucket: bucket, objects: Array(all[..<1_000]), quiet: true)
        // Quiet: AWS reports failures only; moto lists the deleted keys anyway, so only errors are checked.
        #expect(first.errors.isEmpty)
        let second = try await moto.a.deleteObjects(bucket: bucket, objects: Array(all[1_000...]))
        #expect(second.deleted.count == 50)
        #expect(try await moto.a.listObjectsV2(bucket: bucket).objects.isEmpty)
        try await moto.destroy(moto.a, bucket)
    }

    @Test func versionedBucketListsVersionsAndMarkersAndEmptiesWithDeleteObjects() async throws {
        let moto = try await S3Moto()
        let bucket = try await moto.bucket(moto.b, "versions")
        #expect(try await moto.b.getBucketVersioning(bucket: bucket).status == nil)
        try await moto.b.putBucketVersioning(bucket: bucket, S3VersioningConfiguration(status: "Enabled"))
        #expect(try await moto.b.getBucketVersioning(bucket: bucket).isEnabled)
        for key in ["a", "b"] {
            for round in 0..<2 { try await moto.b.putObject(bucket: bucket, key: key, body: Data("\(key)\(round)".utf8)) }
        }
        try await moto.b.deleteObject(bucket: bucket, key: "a")  // a delete marker on top of a's versions

        let page = try await moto.b.listObjectVersions(bucket: bucket)
        #expect(page.versions.count == 4)
        #expect(page.deleteMarkers.count == 1)
        #expect(page.deleteMarkers.first?.key == "a")
        #expect(page.deleteMarkers.first?.isLatest == true)
        #expect(page.versions.filter(\.isLatest).map(\.key) == ["b"])
        #expect(page.versions.allSatisfy { $0.size != nil && $0.eTag != nil })

        // Paged two at a time with key and version-ID markers: every entry exactly once.
        var seen: [S3ObjectIdentifier] = []
        var pages = 0
        for try await small in moto.b.listObjectVersionsPages(bucket: bucket, maxKeys: 2) {
            pages += 1
            seen += small.identifiers
        }
        #expect(pages >= 3)
        #expect(Set(seen) == Set(page.identifiers))
        #expect(seen.count == 5)
        #expect(try await moto.b.headObject(bucket: bucket, key: "a") == nil)

        await expectAWSError("BucketNotEmpty") { try await moto.b.deleteBucket(bucket) }
        let result = try await moto.b.deleteObjects(bucket: bucket, objects: page.identifiers)
        #expect(result.errors.isEmpty)
        #expect(result.deleted.count == 5)
        // AWS flags the removed delete marker (DeleteMarker=true); moto does not, so that is
        // unit-tested only.
        #expect(try await moto.b.listObjectVersions(bucket: bucket).identifiers.isEmpty)
        try await moto.b.deleteBucket(bucket)
    }
}
