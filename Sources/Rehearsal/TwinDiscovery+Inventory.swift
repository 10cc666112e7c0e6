import AWSClient
import AWSServices
import Foundation

/// Counts and sizes from the bucket's S3 Inventory report instead of its listing, when it has an
/// enabled CSV inventory of the whole bucket whose latest report can be read (S3 User Guide,
/// "Working with S3 Inventory": `PREFIX/SOURCE/ID/YYYY-MM-DDTHH-MMZ/manifest.json`, gzip CSV data
/// files whose columns the manifest's `fileSchema` names, keys URL-encoded). The data files are
/// read in ranges and decompressed and parsed as they arrive, so memory stays bounded whatever
/// the bucket's size. A report that cannot be read or is malformed is never fatal: discovery says
/// why and lists the bucket instead.
extension TwinDiscovery {
    /// What a report gave.
    struct InventoryProfile {
        var profile: BucketProfile
        var versions: Int?
        var deleteMarkers: Int?
        var report: TwinInventory.InventoryReport
        /// The first current keys in key order (at most `objectSampleLimit`), for the tag and ACL sample.
        var firstKeys: [String]
    }

    struct InventoryUnusable: Error, CustomStringConvertible {
        var description: String
    }

    /// The configuration whose report to read: enabled, CSV, the whole bucket; `All` versions first.
    static func usableInventory(_ configurations: [S3BucketInventoryConfiguration]) -> S3BucketInventoryConfiguration? {
        let candidates = configurations.filter { $0.enabled && $0.format == "CSV" && ($0.filterPrefix ?? "").isEmpty }
        return candidates.first { $0.includedObjectVersions == "All" } ?? candidates.first
    }

    /// Reads the latest report of `configuration` for `bucket`; throws `InventoryUnusable` (or the
    /// AWS error) when it cannot be used.
    func readInventoryReport(
        _ configuration: S3BucketInventoryConfiguration, bucket: String, account: String, _ recorder: inout CallRecorder
    ) async throws -> InventoryProfile {
        let s3 = try await destinationClient(configuration, account: account)
        let destination = configuration.destinationBucket
        var base = configuration.destinationPrefix ?? ""
        if !base.isEmpty && !base.hasSuffix("/") { base += "/" }
        base += "\(bucket)/\(configuration.id)/"

        // The newest report folder: `YYYY-MM-DDTHH-MMZ/` sorts by time.
        var folders: [String] = []
        for try await page in s3.listObjectsV2Pages(bucket: destination, prefix: base, delimiter: "/") {
            recorder.note("s3", "ListObjectsV2")
            folders += page.commonPrefixes.filter { Self.isReportFolder(String($0.dropFirst(base.count))) }
        }
        guard let folder = folders.max() else {
            throw InventoryUnusable(description: "no report under s3://\(destination)/\(base) yet")
        }
        let manifestKey = folder + "manifest.json"
        recorder.note("s3", "GetObject")
        let manifestObject = try await s3.getObject(bucket: destination, key: manifestKey)
        let manifest = try Self.parseManifest(manifestObject.body, bucket: bucket, key: manifestKey)

        var builder = BucketProfileBuilder()
        var firstKeys = FirstKeys(limit: objectSampleLimit)
        var versions = 0
        var markers = 0
        var rows = 0
        let column = manifest.column
        let allVersions = column("IsLatest") != nil
        for file in manifest.files {
            var csv = InventoryCSVReader()
            let gunzip = try GunzipStream()
            let onRecord: ([String]) throws -> Void = { fields in
                guard fields.count == manifest.schema.count else {
                    throw InventoryUnusable(
                        description: "\(file): a row has \(fields.count) fields, the manifest's fileSchema \(manifest.schema.count)")
                }
                rows += 1
                let isMarker = column("IsDeleteMarker").map { fields[$0] == "true" } ?? false
                if isMarker {
                    markers += 1
                    return
                }
                guard let size = Int64(fields[column("Size")!]) else {
                    throw InventoryUnusable(description: "\(file): Size \"\(fields[column("Size")!])\" is not a number")
                }
                versions += 1
                if let latest = column("IsLatest"), fields[latest] != "true" { return }
                let key = Self.decodeInventoryKey(fields[column("Key")!])
                builder.add(key: key, size: size, storageClass: column("StorageClass").map { fields[$0] } ?? "STANDARD")
                firstKeys.offer(key)
            }
            var offset: Int64 = 0
            var total: Int64 = 1
            while offset < total {
                recorder.note("s3", "GetObject")
                let piece = try await s3.getObjectRange(
                    bucket: destination, key: file, range: offset...(offset + max(1, inventoryReadChunk) - 1))
                total = piece.totalSize
                guard !piece.body.isEmpty || total == 0 else {
                    throw InventoryUnusable(description: "\(file): an empty range at \(offset)")
                }
                offset += Int64(piece.body.count)
                do {
                    try gunzip.feed(piece.body) { try csv.feed($0, onRecord) }
                } catch let error as GunzipStream.Corrupt {
                    throw InventoryUnusable(description: "\(file): \(error)")
                } catch let error as InventoryCSVReader.Malformed {
                    throw InventoryUnusable(description: "\(file): \(error)")
                }
            }
            do {
                try gunzip.finish()
                try csv.finish(onRecord)
            } catch let error as GunzipStream.Corrupt {
                throw InventoryUnusable(description: "\(file): \(error)")
            } catch let error as InventoryCSVReader.Malformed {
                throw InventoryUnusable(description: "\(file): \(error)")
            }
        }
        return InventoryProfile(
            profile: builder.profile(), versions: allVersions ? versions : nil, deleteMarkers: allVersions ? markers : nil,
            report: TwinInventory.InventoryReport(
                configurationId: configuration.id, destinationBucket: destination, manifestKey: manifestKey, created: manifest.created,
                frequency: configuration.frequency, includedObjectVersions: allVersions ? "All" : "Current",
                dataFiles: manifest.files.count, rows: rows),
            firstKeys: firstKeys.sorted)
    }

    /// The destination is read as the runbook account that owns it when the configuration names
    /// one of them (`AccountId`), else as the source bucket's account.
    private func destinationClient(_ configuration: S3BucketInventoryConfiguration, account: String) async throws -> S3Client {
        if let owner = configuration.destinationAccount, let label = plan.accounts.first(where: { $0.accountId == owner })?.name {
            return try await sessions.s3(label)
        }
        return try await sessions.s3(account)
    }

    static func isReportFolder(_ name: String) -> Bool {
        // 2026-12-07T00-00Z/
        let pattern = Array("0000-00-00T00-00Z/")
        let chars = Array(name)
        guard chars.count == pattern.count else { return false }
        return zip(chars, pattern).allSatisfy { char, shape in shape == "0" ? char.isASCII && char.isNumber : char == shape }
    }

    struct Manifest {
        var schema: [String]
        var files: [String]
        var created: Date
        func column(_ name: String) -> Int? { schema.firstIndex(of: name) }
    }

    static func parseManifest(_ data: Data, bucket: String, key: String) throws -> Manifest {
        func unusable(_ why: String) -> InventoryUnusable { InventoryUnusable(description: "\(key): \(why)") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw unusable("the manifest is not a JSON object")
        }
        guard let format = object["fileFormat"] as? String else { throw unusable("the manifest has no fileFormat") }
        guard format == "CSV" else { throw unusable("the report is \(format); discovery reads CSV reports only") }
        if let source = object["sourceBucket"] as? String, source != bucket {
            throw unusable("the manifest is of bucket \(source), not \(bucket)")
        }
        guard let schemaText = object["fileSchema"] as? String else { throw unusable("the manifest has no fileSchema") }
        let schema = schemaText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for required in ["Key", "Size"] where !schema.contains(required) {
            throw unusable("the report has no \(required) column (fileSchema: \(schemaText))")
        }
        guard let files = object["files"] as? [[String: Any]] else { throw unusable("the manifest has no files list") }
        let keys = try files.map { file -> String in
            guard let key = file["key"] as? String, !key.isEmpty else { throw unusable("a file entry has no key") }
            return key
        }
        let stamp = (object["creationTimestamp"] as? String).flatMap(Double.init) ?? (object["creationTimestamp"] as? Double)
        guard let stamp else { throw unusable("the manifest has no creationTimestamp") }
        return Manifest(schema: schema, files: keys, created: Date(timeIntervalSince1970: stamp / 1000))
    }

    /// A report's key: URL-encoded (`+` for a space in form encoding, `%XX` otherwise).
    static func decodeInventoryKey(_ encoded: String) -> String {
        let spaced = encoded.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

/// The `limit` smallest keys seen, in bounded memory.
struct FirstKeys {
    let limit: Int
    private(set) var sorted: [String] = []

    init(limit: Int) { self.limit = limit }

    mutating func offer(_ key: String) {
        guard limit > 0 else { return }
        if sorted.count == limit, let last = sorted.last, key >= last { return }
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < key { low = mid + 1 } else { high = mid }
        }
        sorted.insert(key, at: low)
        if sorted.count > limit { sorted.removeLast() }
    }
}

extension TwinDiscovery {
    /// Counts, sizes and storage classes of `bucket` — from its inventory report when it has a
    /// usable one, else from its listing — then version counts and the tag/ACL sample. Returns
    /// nothing; fills `facts` and says in `findings` where the figures came from.
    func profileBucket(
        _ target: TwinTargets.Resource, s3: S3Client, _ facts: inout TwinInventory.Bucket, _ recorder: inout CallRecorder,
        _ findings: inout [String]
    ) async throws {
        let bucket = target.name
        recorder.note("s3", "ListBucketInventoryConfigurations")
        let configurations: [S3BucketInventoryConfiguration]
        do {
            configurations = try await s3.listBucketInventoryConfigurations(bucket: bucket)
        } catch let error as AWSError where error.origin == .service {
            findings.append("\(target.account): bucket \(bucket): cannot read its inventory configurations (\(error.code)); listed instead")
            configurations = []
        }
        facts.inventoryConfigurations =
            configurations.isEmpty
            ? nil
            : configurations.map {
                TwinInventory.InventoryConfiguration(
                    id: $0.id, destinationBucket: $0.destinationBucket, destinationAccount: $0.destinationAccount,
                    destinationPrefix: $0.destinationPrefix, format: $0.format, enabled: $0.enabled,
                    includedObjectVersions: $0.includedObjectVersions, filterPrefix: $0.filterPrefix, optionalFields: $0.optionalFields,
                    frequency: $0.frequency)
            }
        var firstKeys: [String]?
        if let configuration = Self.usableInventory(configurations) {
            do {
                let read = try await readInventoryReport(configuration, bucket: bucket, account: target.account, &recorder)
                facts.profile = read.profile
                facts.versions = read.versions
                facts.deleteMarkers = read.deleteMarkers
                facts.inventoryReport = read.report
                firstKeys = read.firstKeys
                let age = Self.iso8601(read.report.created)
                findings.append(
                    "\(target.account): bucket \(bucket): \(read.profile.objects) objects, \(read.profile.bytes) bytes from its "
                        + "\(configuration.frequency.lowercased()) S3 Inventory report \(configuration.id) of \(age) "
                        + "(s3://\(configuration.destinationBucket)/\(read.report.manifestKey), \(read.report.rows) rows) instead of a "
                        + "listing — an estimate: the bucket may have changed since the report was written")
            } catch {
                findings.append(
                    "\(target.account): bucket \(bucket): its S3 Inventory report \(configuration.id) could not be used "
                        + "(\(error)); the bucket was listed instead")
            }
        } else if !configurations.isEmpty {
            findings.append(
                "\(target.account): bucket \(bucket): none of its \(configurations.count) inventory configurations is an enabled CSV "
                    + "inventory of the whole bucket; the bucket was listed instead")
        }
        if firstKeys == nil {
            recorder.note("s3", "ListObjectsV2")
            let listing = try await s3.listAllObjects(bucket: bucket)
            facts.profile = BucketProfile(listing: listing)
            firstKeys = Array(listing.map(\.key).sorted().prefix(objectSampleLimit))
        }
        if facts.versioning != nil && facts.versions == nil {
            var versions = 0
            var markers = 0
            for try await page in s3.listObjectVersionsPages(bucket: bucket) {
                recorder.note("s3", "ListObjectVersions")
                versions += page.versions.count
                markers += page.deleteMarkers.count
            }
            facts.versions = versions
            facts.deleteMarkers = markers
        }
        do {
            facts.objectSample = try await sampleObjects(
                firstKeys ?? [], bucket: bucket, ownership: facts.objectOwnership, s3: s3, &recorder)
        } catch {
            // The twin's objects then carry no tags or grants; the operator is told.
            findings.append(
                "\(target.account): bucket \(bucket): cannot read its first objects' tags or ACLs (\(error)); the twin's objects have none")
        }
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
