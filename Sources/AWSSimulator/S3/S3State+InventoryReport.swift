import CZlib
import Foundation

/// An S3 Inventory report as S3 delivers one, written into the destination bucket: gzip-compressed
/// CSV data files under `PREFIX/SOURCE/ID/data/`, then `PREFIX/SOURCE/ID/YYYY-MM-DDTHH-MMZ/manifest.json`
/// (`sourceBucket`, `destinationBucket`, `version`, `creationTimestamp` in epoch milliseconds,
/// `fileFormat`, `fileSchema`, `files[{key, size, MD5checksum}]`) and `manifest.checksum`
/// (the manifest's MD5). Every field quoted; keys URL-encoded; with `IncludedObjectVersions: All`
/// each version and delete marker is a row with `VersionId`, `IsLatest`, `IsDeleteMarker`.
/// AWS delivers on its schedule (daily or weekly); the simulator writes one when asked (seeding).
extension S3State {
    /// The fields a CSV report carries, in order, for a configuration.
    static func inventorySchema(_ configuration: S3InventoryConfiguration) -> [String] {
        ["Bucket", "Key"] + (configuration.includedObjectVersions == "All" ? ["VersionId", "IsLatest", "IsDeleteMarker"] : [])
            + configuration.optionalFields
    }

    /// Writes the report of `bucket`'s inventory configuration `id` as of `time`; returns the
    /// manifest's key. `rowsPerFile` splits the listing over several data files, as AWS does for
    /// large buckets.
    @discardableResult
    public mutating func deliverInventoryReport(
        bucket name: String, id: String, at time: Date, rowsPerFile: Int = 100_000
    )
        throws(SimError) -> String
    {
        guard let source = buckets[name] else { throw S3Errors.noSuchBucket(name) }
        guard let document = source.inventoryConfigurations[id] else { throw S3Errors.noSuchConfiguration(name) }
        let configuration = try S3InventoryConfiguration(document: document, bucket: name)
        guard configuration.format == "CSV" else {
            throw SimError("NotImplemented", "the simulator writes CSV inventory reports only, not \(configuration.format)", status: 501)
        }
        guard buckets[configuration.destinationBucket] != nil else { throw S3Errors.noSuchBucket(configuration.destinationBucket) }
        let schema = Self.inventorySchema(configuration)
        let base = (configuration.destinationPrefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "") + "\(name)/\(id)/"

        var rows: [String] = []
        for key in source.keys where configuration.filterPrefix.map({ key.hasPrefix($0) }) ?? true {
            let history = source.versions(of: key)
            let listed: ArraySlice<S3StoredVersion> =
                configuration.includedObjectVersions == "All"
                ? history[...] : (history.last.map { $0.isDeleteMarker ? [] : [$0] } ?? [])[...]
            for version in listed {
                let latest = version.versionId == history.last?.versionId
                rows.append(
                    schema.map { field in
                        "\""
                            + Self.inventoryValue(field, version, bucket: name, latest: latest).replacingOccurrences(of: "\"", with: "\"\"")
                            + "\""
                    }.joined(separator: ","))
            }
        }

        var files: [[String: Any]] = []
        let chunks = stride(from: 0, to: max(rows.count, 1), by: max(1, rowsPerFile)).map {
            rows[$0..<min(rows.count, $0 + max(1, rowsPerFile))]
        }
        for (index, chunk) in chunks.enumerated() {
            let csv = Data(chunk.map { $0 + "\n" }.joined().utf8)
            let compressed = try Self.gzip(csv)
            let digest = S3Digest.hex(S3Digest.md5(Data("\(name)/\(id)/\(time.timeIntervalSince1970)/\(index)".utf8)))
            let uuid = [
                digest.prefix(8), digest.dropFirst(8).prefix(4), digest.dropFirst(12).prefix(4), digest.dropFirst(16).prefix(4),
                digest.dropFirst(20).prefix(12),
            ].joined(separator: "-")
            let key = base + "data/\(uuid).csv.gz"
            try seedObject(
                bucket: configuration.destinationBucket, key: key, body: .bytes(compressed),
                write: S3ObjectWrite(contentType: "application/octet-stream"), at: time)
            files.append(["key": key, "size": compressed.count, "MD5checksum": S3Digest.hex(S3Digest.md5(compressed))])
        }
        let manifest: [String: Any] = [
            "sourceBucket": name, "destinationBucket": "arn:aws:s3:::\(configuration.destinationBucket)", "version": "2016-11-30",
            "creationTimestamp": String(Int64((time.timeIntervalSince1970 * 1000).rounded())), "fileFormat": "CSV",
            "fileSchema": schema.joined(separator: ", "), "files": files,
        ]
        let manifestData = (try? JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        let folder = base + Self.inventoryFolder(time) + "/"
        try seedObject(
            bucket: configuration.destinationBucket, key: folder + "manifest.json", body: .bytes(manifestData),
            write: S3ObjectWrite(contentType: "application/json"), at: time)
        try seedObject(
            bucket: configuration.destinationBucket, key: folder + "manifest.checksum",
            body: .bytes(Data(S3Digest.hex(S3Digest.md5(manifestData)).utf8)), at: time)
        return folder + "manifest.json"
    }

    /// `2026-12-07T00-00Z`: the report's folder name (S3 User Guide, "Inventory location").
    static func inventoryFolder(_ time: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH-mm'Z'"
        return formatter.string(from: time)
    }

    private static func inventoryValue(_ field: String, _ version: S3StoredVersion, bucket: String, latest: Bool) -> String {
        let marker = version.isDeleteMarker
        switch field {
        case "Bucket": return bucket
        case "Key": return inventoryKey(version.key)
        case "VersionId": return version.versionId
        case "IsLatest": return latest ? "true" : "false"
        case "IsDeleteMarker": return marker ? "true" : "false"
        case "Size": return marker ? "" : String(version.size)
        case "LastModifiedDate":
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.string(from: version.lastModified)
        case "StorageClass": return marker ? "" : version.write.storageClass
        case "ETag": return marker ? "" : version.eTag.replacingOccurrences(of: "\"", with: "")
        case "IsMultipartUploaded": return marker ? "" : (version.parts.isEmpty ? "false" : "true")
        case "EncryptionStatus":
            if marker { return "" }
            switch version.write.serverSideEncryption {
            case "aws:kms"?: return "SSE-KMS"
            case "AES256"?: return "SSE-S3"
            default: return "NOT-SSE"
            }
        default: return ""
        }
    }

    /// The key as a report carries it: URL-encoded (UTF-8, `/` kept; a space as `%20`, `+` as `%2B`).
    static func inventoryKey(_ key: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~/")
        allowed.remove(charactersIn: "+")
        return key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
    }

    static func gzip(_ data: Data) throws(SimError) -> Data {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let ok = data.withUnsafeBytes { raw in
            cutover_gzip(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &out, &length)
        }
        guard ok == 1, let out else { throw SimError("InternalError", "gzip failed writing an inventory report", status: 500) }
        defer { cutover_gzip_free(out) }
        return Data(bytes: out, count: length)
    }
}

extension Simulator {
    /// Stores an inventory configuration on `bucket` (as PutBucketInventoryConfiguration) and,
    /// with `deliver`, writes its report of the bucket as it is now (as S3's next scheduled run
    /// would); returns the manifest key.
    @discardableResult
    public func seedInventory(
        bucket: String, _ configuration: S3InventoryConfiguration, deliver: Bool = true, rowsPerFile: Int = 100_000
    )
        throws(SimError) -> String?
    {
        let now = clock.now()
        return try withState { state in
            Result { () throws(SimError) -> String? in
                try state.s3.modify(bucket) { $0.inventoryConfigurations[configuration.id] = configuration.document }
                guard deliver else { return nil }
                return try state.s3.deliverInventoryReport(bucket: bucket, id: configuration.id, at: now, rowsPerFile: rowsPerFile)
            }
        }.get()
    }

    /// Writes the report of `bucket`'s inventory configuration `id` as of now; the manifest key.
    @discardableResult
    public func deliverInventoryReport(bucket: String, id: String, rowsPerFile: Int = 100_000) throws(SimError) -> String {
        let now = clock.now()
        return try withState { state in
            Result { () throws(SimError) in
                try state.s3.deliverInventoryReport(bucket: bucket, id: id, at: now, rowsPerFile: rowsPerFile)
            }
        }.get()
    }
}
