import Foundation

extension S3Service {
    /// S3's page limit: `max-keys` above 1,000 still returns at most 1,000 (BC-S3 ListObjectsV2;
    /// MOTO-NOTES §3 shows moto ignoring it).
    static let maxPage = 1000

    static func maxKeys(_ call: S3Call, _ name: String = "max-keys") throws(SimError) -> Int {
        guard let text = call.query(name) else { return maxPage }
        guard let value = Int(text), value >= 0 else {
            throw S3Errors.invalidArgument("Provided \(name) not an integer or within integer range", call.bucket)
        }
        return min(value, maxPage)
    }

    static func encodingType(_ call: S3Call) throws(SimError) -> Bool {
        switch call.query("encoding-type") {
        case nil: return false
        case "url"?: return true
        default: throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", call.bucket)
        }
    }

    /// `encoding-type=url`: keys percent-encoded (slashes kept, space as `+`), as botocore
    /// decodes them with `unquote_plus`.
    static func urlEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static func utf8HasPrefix(_ text: String, _ prefix: String) -> Bool { text.utf8.starts(with: prefix.utf8) }

    /// One listing walk over keys in order, shared by ListObjects(V2) and ListObjectVersions:
    /// prefix filter, delimiter roll-up into common prefixes, and the page limit.
    enum ListedItem {
        case key(String)
        case commonPrefix(String)
    }

    /// Walks keys after `marker` (exclusive; a common-prefix marker skips all keys below it),
    /// calling `emit` for each key's entries; returns the items and whether more remain.
    static func walk(
        _ bucket: S3Bucket, prefix: String, delimiter: String, after marker: String?, maxItems: Int,
        entries: (String) -> Int
    ) -> (items: [ListedItem], truncated: Bool) {
        let keys = bucket.index.keys
        var position = bucket.index.lowerBound(prefix)
        if let marker, S3KeyIndex.precedes(prefix, marker) || prefix == marker {
            position = bucket.index.upperBound(marker)
        }
        let markerIsPrefix = marker.map { !delimiter.isEmpty && $0.hasSuffix(delimiter) && utf8HasPrefix($0, prefix) } ?? false
        var items: [ListedItem] = []
        var count = 0
        var lastPrefix: String?
        while position < keys.count {
            let key = keys[position]
            position += 1
            guard utf8HasPrefix(key, prefix) else {
                if S3KeyIndex.precedes(prefix, key) { break } else { continue }
            }
            if markerIsPrefix, let marker, utf8HasPrefix(key, marker) { continue }
            if !delimiter.isEmpty {
                let rest = String(decoding: key.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                if let range = rest.range(of: delimiter) {
                    let common = prefix + String(rest[..<range.upperBound])
                    if common == lastPrefix { continue }
                    // Only keys with something listable roll up into a prefix.
                    let n = entries(key)
                    guard n > 0 else { continue }
                    if count >= maxItems { return (items, true) }
                    items.append(.commonPrefix(common))
                    lastPrefix = common
                    count += 1
                    continue
                }
            }
            let n = entries(key)
            guard n > 0 else { continue }
            if count >= maxItems { return (items, true) }
            items.append(.key(key))
            count += n
        }
        return (items, false)
    }

    // MARK: - ListObjectsV2 / ListObjects

    /// ListObjectsV2 (and V1): at most 1,000 per page, opaque continuation tokens (a bogus one is
    /// 400 `InvalidArgument`), StartAfter, Prefix, Delimiter/CommonPrefixes, `encoding-type=url`.
    func listObjects(_ call: inout S3Call, _ s3: inout S3State, v2: Bool) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:ListBucket", resource: call.bucket))
        let bucket = s3.buckets[call.bucket]!
        let prefix = call.query("prefix") ?? ""
        let delimiter = call.query("delimiter") ?? ""
        let maxKeys = try Self.maxKeys(call)
        let encode = try Self.encodingType(call)
        let token = call.query("continuation-token")
        let startAfter = call.query("start-after")
        var marker: String?
        if v2 {
            if let token {
                guard let decoded = Self.decodeToken(token, bucket: call.bucket) else {
                    throw S3Errors.invalidArgument("The continuation token provided is incorrect", call.bucket)
                }
                marker = decoded
            } else {
                marker = startAfter
            }
        } else {
            marker = call.query("marker")
        }
        var (items, truncated) = Self.walk(bucket, prefix: prefix, delimiter: delimiter, after: marker, maxItems: maxKeys) { key in
            bucket.current(key)?.isDeleteMarker == false ? 1 : 0
        }
        if items.isEmpty { truncated = false }
        let enc: (String) -> String = { encode ? Self.urlEncode($0) : $0 }
        let fetchOwner = !v2 || call.query("fetch-owner") == "true"
        var xml = S3XMLBuilder(root: "ListBucketResult")
        xml.element("Name", call.bucket)
        xml.element("Prefix", enc(prefix))
        if !v2 { xml.element("Marker", enc(marker ?? "")) }
        if v2, let token { xml.element("ContinuationToken", token) }
        if v2, let startAfter { xml.element("StartAfter", enc(startAfter)) }
        if v2 { xml.element("KeyCount", String(items.count)) }
        xml.element("MaxKeys", String(maxKeys))
        if !delimiter.isEmpty { xml.element("Delimiter", enc(delimiter)) }
        if encode { xml.element("EncodingType", "url") }
        xml.element("IsTruncated", truncated ? "true" : "false")
        if truncated, let last = items.last {
            let lastName: String
            switch last {
            case .key(let key): lastName = key
            case .commonPrefix(let common): lastName = common
            }
            if v2 {
                xml.element("NextContinuationToken", Self.encodeToken(lastName, bucket: call.bucket))
            } else if !delimiter.isEmpty {
                xml.element("NextMarker", enc(lastName))
            }
        }
        for item in items {
            switch item {
            case .key(let key):
                guard let object = bucket.current(key) else { continue }
                xml.start("Contents")
                xml.element("Key", enc(key))
                xml.element("LastModified", S3Time.iso8601(object.lastModified))
                xml.element("ETag", object.eTag)
                for algorithm in object.checksums.keys.sorted() { xml.element("ChecksumAlgorithm", algorithm) }
                if !object.checksums.isEmpty { xml.element("ChecksumType", object.checksumType ?? "FULL_OBJECT") }
                xml.element("Size", String(object.size))
                if fetchOwner {
                    xml.start("Owner")
                    xml.element("ID", Self.canonicalId(object.ownerAccount))
                    xml.end()
                }
                xml.element("StorageClass", object.write.storageClass)
                xml.end()
            case .commonPrefix(let common):
                xml.start("CommonPrefixes")
                xml.element("Prefix", enc(common))
                xml.end()
            }
        }
        return call.xml(xml.finish())
    }

    /// Continuation tokens are opaque to clients; this one carries the bucket and the last name
    /// listed, so a token from another bucket or a made-up one is refused.
    static func encodeToken(_ last: String, bucket: String) -> String {
        Data("sim1\n\(bucket)\n\(last)".utf8).base64EncodedString()
    }

    static func decodeToken(_ token: String, bucket: String) -> String? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sim1", parts[1] == bucket else { return nil }
        return String(parts[2])
    }

    // MARK: - ListObjectVersions

    /// ListObjectVersions: versions and delete markers newest first per key, paged by
    /// KeyMarker/VersionIdMarker at ≤ 1,000 (BC-S3; AWS-NOTES §2).
    func listObjectVersions(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:ListBucketVersions", resource: call.bucket))
        let bucket = s3.buckets[call.bucket]!
        let prefix = call.query("prefix") ?? ""
        let delimiter = call.query("delimiter") ?? ""
        let maxKeys = try Self.maxKeys(call)
        let encode = try Self.encodingType(call)
        let keyMarker = call.query("key-marker").flatMap { $0.isEmpty ? nil : $0 }
        let versionIdMarker = call.query("version-id-marker").flatMap { $0.isEmpty ? nil : $0 }
        if versionIdMarker != nil && keyMarker == nil {
            throw S3Errors.invalidArgument("A version-id marker cannot be specified without a key marker.", call.bucket)
        }
        // Versions of the key-marker's key that come after the version-id marker, newest first.
        var head: [S3StoredVersion] = []
        if let keyMarker, let versionIdMarker {
            let newestFirst = Array(bucket.versions(of: keyMarker).reversed())
            guard let at = newestFirst.firstIndex(where: { $0.versionId == versionIdMarker }) else {
                throw S3Errors.invalidArgument("Invalid version id specified", call.bucket)
            }
            if Self.utf8HasPrefix(keyMarker, prefix) { head = Array(newestFirst[(at + 1)...]) }
        }
        var entries: [S3StoredVersion] = Array(head.prefix(maxKeys))
        var prefixes: [String] = []
        var truncated = head.count > maxKeys
        if !truncated {
            let (items, more) = Self.walk(
                bucket, prefix: prefix, delimiter: delimiter, after: keyMarker, maxItems: maxKeys - entries.count
            ) { key in bucket.versions(of: key).count }
            truncated = more
            for item in items {
                switch item {
                case .key(let key):
                    let newestFirst = bucket.versions(of: key).reversed()
                    entries += newestFirst
                case .commonPrefix(let common):
                    prefixes.append(common)
                }
            }
            // A key's versions can straddle the page end: keep the page at maxKeys exactly.
            if entries.count + prefixes.count > maxKeys {
                let keep = maxKeys - prefixes.count
                entries = Array(entries.prefix(keep))
                truncated = true
            }
        }
        let enc: (String) -> String = { encode ? Self.urlEncode($0) : $0 }
        var xml = S3XMLBuilder(root: "ListVersionsResult")
        xml.element("Name", call.bucket)
        xml.element("Prefix", enc(prefix))
        xml.element("KeyMarker", enc(keyMarker ?? ""))
        xml.element("VersionIdMarker", versionIdMarker ?? "")
        if truncated {
            // The page ends at its last listed entry: the later of the last version and last prefix.
            let lastVersionKey = entries.last?.key
            let lastPrefix = prefixes.last
            if let lastPrefix, lastVersionKey == nil || S3KeyIndex.precedes(lastVersionKey!, lastPrefix) {
                xml.element("NextKeyMarker", enc(lastPrefix))
            } else if let last = entries.last {
                xml.element("NextKeyMarker", enc(last.key))
                xml.element("NextVersionIdMarker", last.versionId)
            }
        }
        xml.element("MaxKeys", String(maxKeys))
        if !delimiter.isEmpty { xml.element("Delimiter", enc(delimiter)) }
        if encode { xml.element("EncodingType", "url") }
        xml.element("IsTruncated", truncated ? "true" : "false")
        for version in entries {
            let isLatest = bucket.current(version.key)?.versionId == version.versionId
            xml.start(version.isDeleteMarker ? "DeleteMarker" : "Version")
            xml.element("Key", enc(version.key))
            xml.element("VersionId", version.versionId)
            xml.element("IsLatest", isLatest ? "true" : "false")
            xml.element("LastModified", S3Time.iso8601(version.lastModified))
            if !version.isDeleteMarker {
                xml.element("ETag", version.eTag)
                for algorithm in version.checksums.keys.sorted() { xml.element("ChecksumAlgorithm", algorithm) }
                if !version.checksums.isEmpty { xml.element("ChecksumType", version.checksumType ?? "FULL_OBJECT") }
                xml.element("Size", String(version.size))
                xml.element("StorageClass", version.write.storageClass)
            }
            xml.start("Owner")
            xml.element("ID", Self.canonicalId(version.ownerAccount))
            xml.end()
            xml.end()
        }
        for common in prefixes {
            xml.start("CommonPrefixes")
            xml.element("Prefix", enc(common))
            xml.end()
        }
        return call.xml(xml.finish())
    }

    // MARK: - Multipart listings

    func listMultipartUploads(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:ListBucketMultipartUploads", resource: call.bucket))
        let bucket = s3.buckets[call.bucket]!
        let prefix = call.query("prefix") ?? ""
        let maxUploads = try Self.maxKeys(call, "max-uploads")
        let encode = try Self.encodingType(call)
        let keyMarker = call.query("key-marker").flatMap { $0.isEmpty ? nil : $0 }
        let uploadIdMarker = call.query("upload-id-marker").flatMap { $0.isEmpty ? nil : $0 }
        let ordered = bucket.uploads.values
            .filter { Self.utf8HasPrefix($0.key, prefix) }
            .sorted { ($0.key, $0.initiated, $0.uploadId) < ($1.key, $1.initiated, $1.uploadId) }
        var start = 0
        if let keyMarker {
            if let uploadIdMarker, let at = ordered.firstIndex(where: { $0.key == keyMarker && $0.uploadId == uploadIdMarker }) {
                start = at + 1
            } else {
                start = ordered.firstIndex { S3KeyIndex.precedes(keyMarker, $0.key) } ?? ordered.count
            }
        }
        let remaining = ordered[start...]
        let page = Array(remaining.prefix(maxUploads))
        let truncated = remaining.count > page.count
        let enc: (String) -> String = { encode ? Self.urlEncode($0) : $0 }
        var xml = S3XMLBuilder(root: "ListMultipartUploadsResult")
        xml.element("Bucket", call.bucket)
        xml.element("KeyMarker", enc(keyMarker ?? ""))
        xml.element("UploadIdMarker", uploadIdMarker ?? "")
        if truncated, let last = page.last {
            xml.element("NextKeyMarker", enc(last.key))
            xml.element("NextUploadIdMarker", last.uploadId)
        }
        xml.element("Prefix", enc(prefix))
        xml.element("MaxUploads", String(maxUploads))
        if encode { xml.element("EncodingType", "url") }
        xml.element("IsTruncated", truncated ? "true" : "false")
        for upload in page {
            xml.start("Upload")
            xml.element("Key", enc(upload.key))
            xml.element("UploadId", upload.uploadId)
            xml.start("Initiator")
            xml.element("ID", Self.canonicalId(upload.initiatorAccount))
            xml.end()
            xml.start("Owner")
            xml.element("ID", Self.canonicalId(upload.initiatorAccount))
            xml.end()
            xml.element("StorageClass", upload.write.storageClass)
            xml.element("Initiated", S3Time.iso8601(upload.initiated))
            xml.optional("ChecksumAlgorithm", upload.checksumAlgorithm)
            xml.end()
        }
        return call.xml(xml.finish())
    }

    func listParts(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:ListMultipartUploadParts", resource: call.objectResource))
        let upload = try pendingUpload(call, s3)
        let maxParts = try Self.maxKeys(call, "max-parts")
        let marker = Int(call.query("part-number-marker") ?? "") ?? 0
        let remaining = upload.parts.values.filter { $0.partNumber > marker }.sorted { $0.partNumber < $1.partNumber }
        let page = remaining.prefix(maxParts)
        var xml = S3XMLBuilder(root: "ListPartsResult")
        xml.element("Bucket", call.bucket)
        xml.element("Key", call.key)
        xml.element("UploadId", upload.uploadId)
        xml.element("PartNumberMarker", String(marker))
        xml.element("NextPartNumberMarker", String(page.last?.partNumber ?? marker))
        xml.element("MaxParts", String(maxParts))
        xml.element("IsTruncated", remaining.count > page.count ? "true" : "false")
        for part in page {
            xml.start("Part")
            xml.element("PartNumber", String(part.partNumber))
            xml.element("LastModified", S3Time.iso8601(part.lastModified))
            xml.element("ETag", part.eTag)
            xml.element("Size", String(part.body.size))
            xml.optional("ChecksumSHA256", part.checksumSHA256)
            xml.end()
        }
        xml.start("Initiator")
        xml.element("ID", Self.canonicalId(upload.initiatorAccount))
        xml.end()
        xml.start("Owner")
        xml.element("ID", Self.canonicalId(upload.initiatorAccount))
        xml.end()
        xml.element("StorageClass", upload.write.storageClass)
        xml.optional("ChecksumAlgorithm", upload.checksumAlgorithm)
        return call.xml(xml.finish())
    }
}
