import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// S3 Inventory in the simulator, through our own `S3Client`: configurations listed 100 a page
/// and owner-only; a report's manifest names its data files with their size and MD5, in the
/// documented folder, and its schema carries the version columns for `All`.
@Suite("SimS3: inventory configurations and reports")
struct SimS3InventoryTests {
    @Test func configurationsAreListedAHundredAPageToTheOwnerOnly() async throws {
        let world = try SimS3ClientTests.World()
        try await world.legacy.createBucket("data")
        try await world.legacy.createBucket("reports")
        #expect(try await world.legacy.listBucketInventoryConfigurations(bucket: "data").isEmpty)
        for index in 0..<101 {
            try world.simulator.seedInventory(
                bucket: "data", S3InventoryConfiguration(id: String(format: "inv-%03d", index), destinationBucket: "reports"),
                deliver: false)
        }
        let listed = try await world.legacy.listBucketInventoryConfigurations(bucket: "data")
        #expect(listed.map(\.id) == (0..<101).map { String(format: "inv-%03d", $0) })
        #expect(listed.first?.destinationBucket == "reports" && listed.first?.format == "CSV" && listed.first?.frequency == "Daily")
        #expect(
            world.simulator.requests(where: { $0.operation == "ListBucketInventoryConfigurations" }).count == 3,
            "two pages and the empty list")
        await #expect(throws: AWSError.self) { try await world.product.listBucketInventoryConfigurations(bucket: "data") }
    }

    @Test func aReportHasItsManifestDataFilesAndVersionColumns() async throws {
        let world = try SimS3ClientTests.World()
        try world.simulator.seedBucket("data", account: SimS3ClientTests.legacy, versioning: .enabled)
        try await world.legacy.createBucket("reports")
        try world.simulator.seedObject(bucket: "data", key: "a b+c.txt", body: Data("one".utf8))
        try world.simulator.seedObject(bucket: "data", key: "a b+c.txt", body: Data("two!".utf8))
        try world.simulator.seedDeleteMarker(bucket: "data", key: "gone.txt")
        let manifestKey = try #require(
            try world.simulator.seedInventory(
                bucket: "data",
                S3InventoryConfiguration(id: "all", destinationBucket: "reports", destinationPrefix: "inv", includedObjectVersions: "All"),
                rowsPerFile: 2))
        #expect(manifestKey.hasPrefix("inv/data/all/") && manifestKey.hasSuffix("Z/manifest.json"))
        let manifest = try await world.legacy.getObject(bucket: "reports", key: manifestKey)
        let json = try #require(try JSONSerialization.jsonObject(with: manifest.body) as? [String: Any])
        #expect(json["sourceBucket"] as? String == "data")
        #expect(json["destinationBucket"] as? String == "arn:aws:s3:::reports")
        #expect(json["fileFormat"] as? String == "CSV" && json["version"] as? String == "2016-11-30")
        #expect(
            json["fileSchema"] as? String == "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, StorageClass, ETag")
        #expect(Double(json["creationTimestamp"] as? String ?? "") != nil)
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == 2, "3 rows, 2 a file")
        for file in files {
            let key = try #require(file["key"] as? String)
            #expect(key.hasPrefix("inv/data/all/data/") && key.hasSuffix(".csv.gz"))
            let body = try await world.legacy.getObject(bucket: "reports", key: key).body
            #expect(Array(body.prefix(2)) == [0x1F, 0x8B], "gzip")
            #expect(file["size"] as? Int == body.count)
        }
        let checksum = try await world.legacy.getObject(
            bucket: "reports", key: manifestKey.replacingOccurrences(of: ".json", with: ".checksum"))
        #expect(checksum.body.count == 32)
    }
}
