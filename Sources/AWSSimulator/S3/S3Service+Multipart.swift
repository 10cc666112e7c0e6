import Foundation

extension S3Service {
    /// Parts are 5 MiB to 5 GiB except the last (S3UG qfacts; AWS-NOTES §3.1).
    static let minPartSize: Int64 = 5 * 1024 * 1024

    func pendingUpload(_ call: S3Call, _ s3: S3State) throws(SimError) -> S3PendingUpload {
        guard let id = call.query("uploadId"), let upload = s3.buckets[call.bucket]?.uploads[id], upload.key == call.key else {
            throw S3Errors.noSuchUpload(call.bucket, call.key)
        }
        return upload
    }

    func createMultipartUpload(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:PutObject", resource: call.objectResource))
        var write = try S3ObjectWrite(headers: call.request)
        try applyLockRules(&write, call, s3.buckets[call.bucket]!, integrity: true)
        let algorithm = call.header("x-amz-checksum-algorithm")?.uppercased()
        if let algorithm, !S3Payload.checksumAlgorithms.contains(algorithm) {
            throw S3Errors.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types")
        }
        let (key, account, now) = (call.key, call.account, call.now)
        let upload = try s3.modify(call.bucket) { bucket in
            Self.applyDefaultEncryption(&write, bucket)
            let upload = S3PendingUpload(
                uploadId: bucket.newUploadId(), key: key, initiated: now, initiatorAccount: account, write: write,
                checksumAlgorithm: algorithm, parts: [:])
            bucket.uploads[upload.uploadId] = upload
            return upload
        }
        call.mutated = true
        var xml = S3XMLBuilder(root: "InitiateMultipartUploadResult")
        xml.element("Bucket", call.bucket)
        xml.element("Key", call.key)
        xml.element("UploadId", upload.uploadId)
        var headers = Self.encryptionHeaders(upload.write)
        if let algorithm { headers.append(("x-amz-checksum-algorithm", algorithm)) }
        return call.xml(xml.finish(), headers: headers)
    }

    /// UploadPart and UploadPartCopy (`x-amz-copy-source-range: bytes=first-last`; without a
    /// range the whole source, at most 5 GB). Part numbers 1–10,000.
    func uploadPart(_ call: inout S3Call, _ s3: inout S3State, copy: Bool) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:PutObject", resource: call.objectResource))
        let upload = try pendingUpload(call, s3)
        guard let partNumber = call.query("partNumber").flatMap({ Int($0) }), (1...10_000).contains(partNumber) else {
            throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", call.objectResource)
        }
        var body: S3ObjectBody
        var sentChecksum: String?
        var source: CopySource?
        if copy {
            let from = try copySource(call, s3)
            source = from
            let size = from.version.size
            if let rangeText = call.header("x-amz-copy-source-range") {
                guard let range = Self.parseCopyRange(rangeText) else {
                    throw S3Errors.invalidArgument(
                        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
                        call.objectResource)
                }
                guard range.upperBound < size else {
                    throw S3Errors.invalidArgument("Range specified is not valid for source object of size: \(size)", call.objectResource)
                }
                if range.upperBound - range.lowerBound + 1 > Self.maxCopySize {
                    throw SimError(
                        "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", status: 400,
                        resource: call.objectResource)
                }
                body = from.version.body.slice(range)
            } else {
                if size > Self.maxCopySize { throw S3Errors.copySourceTooLarge(call.objectResource) }
                body = from.version.body
            }
        } else {
            let payload = try S3Payload(call.request, resource: call.objectResource)
            body = .bytes(payload.data)
            sentChecksum = payload.checksums["SHA256"]
        }
        let md5: [UInt8]
        switch body {
        case .bytes(let data): md5 = S3Digest.md5(data)
        case .synthetic(let size): md5 = S3Digest.syntheticMD5(size: size, label: "\(upload.uploadId):\(partNumber)")
        }
        var checksum: String?
        if upload.checksumAlgorithm == "SHA256" {
            if case .bytes(let data) = body { checksum = sentChecksum ?? Data(S3Digest.sha256(data)).base64EncodedString() }
        }
        let part = S3PendingUpload.Part(
            partNumber: partNumber, body: body, eTag: "\"\(S3Digest.hex(md5))\"", lastModified: call.now, checksumSHA256: checksum, md5: md5
        )
        try s3.modify(call.bucket) { bucket in bucket.uploads[upload.uploadId]?.parts[partNumber] = part }
        call.mutated = true
        var headers = Self.encryptionHeaders(upload.write)
        guard let source else {
            headers.append(("ETag", part.eTag))
            if let checksum { headers.append(("x-amz-checksum-sha256", checksum)) }
            return call.respond(headers: headers)
        }
        if source.versionedBucket { headers.append(("x-amz-copy-source-version-id", source.version.versionId)) }
        var xml = S3XMLBuilder(root: "CopyPartResult")
        xml.element("ETag", part.eTag)
        xml.element("LastModified", S3Time.iso8601(part.lastModified))
        xml.optional("ChecksumSHA256", checksum)
        return call.xml(xml.finish(), headers: headers)
    }

    /// `bytes=first-last`, both required (BC-S3 UploadPartCopy `CopySourceRange`).
    static func parseCopyRange(_ text: String) -> ClosedRange<Int64>? {
        guard text.hasPrefix("bytes=") else { return nil }
        let parts = text.dropFirst("bytes=".count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = Int64(parts[0]), let last = Int64(parts[1]), first >= 0, last >= first else { return nil }
        return first...last
    }

    /// CompleteMultipartUpload: parts in ascending order, each with its ETag, all but the last at
    /// least 5 MiB (`EntityTooSmall`); ETag = MD5 of the parts' MD5s + `-N`; SHA-256 composite
    /// (AWS-NOTES §3.3).
    func completeMultipartUpload(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:PutObject", resource: call.objectResource))
        let upload = try pendingUpload(call, s3)
        guard let root = S3XMLElement.parse(call.request.body), root.name == "CompleteMultipartUpload" else {
            throw S3Errors.malformedXML(call.objectResource)
        }
        let listed = root.children("Part")
        guard !listed.isEmpty else { throw S3Errors.malformedXML(call.objectResource) }
        var parts: [S3PendingUpload.Part] = []
        var previous = 0
        for entry in listed {
            guard let number = entry.string("PartNumber").flatMap({ Int($0) }), let eTag = entry.string("ETag") else {
                throw S3Errors.malformedXML(call.objectResource)
            }
            guard number > previous else {
                throw SimError(
                    "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", status: 400,
                    resource: call.objectResource)
            }
            previous = number
            guard let part = upload.parts[number], Self.unquoted(part.eTag) == Self.unquoted(eTag) else {
                throw SimError(
                    "InvalidPart",
                    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                    status: 400, resource: call.objectResource)
            }
            parts.append(part)
        }
        for part in parts.dropLast() where part.body.size < Self.minPartSize {
            throw SimError(
                "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", status: 400,
                resource: call.objectResource)
        }
        let combinedMD5 = S3Digest.md5(Data(parts.flatMap(\.md5)))
        let eTag = "\"\(S3Digest.hex(combinedMD5))-\(parts.count)\""
        var checksums: [String: String] = [:]
        var checksumType: String?
        if upload.checksumAlgorithm == "SHA256", parts.allSatisfy({ $0.checksumSHA256 != nil }) {
            var joined = Data()
            for part in parts { joined.append(Data(base64Encoded: part.checksumSHA256!) ?? Data()) }
            checksums["SHA256"] = Data(S3Digest.sha256(joined)).base64EncodedString() + "-\(parts.count)"
            checksumType = "COMPOSITE"
        }
        let (key, account, now) = (call.key, call.account, call.now)
        let versioning = s3.buckets[call.bucket]!.versioning
        let stored = try s3.modify(call.bucket) { bucket in
            let object = S3StoredVersion(
                key: key, versionId: versioning == .enabled ? bucket.newVersionId() : "null", lastModified: now,
                ownerAccount: Self.objectOwner(bucket, writer: account), body: S3ObjectBody.joined(parts.map(\.body)), eTag: eTag,
                write: upload.write, checksums: checksums, checksumType: checksumType,
                parts: parts.map { S3StoredVersion.Part(partNumber: $0.partNumber, size: $0.body.size, checksumSHA256: $0.checksumSHA256) })
            bucket.append(object)
            bucket.uploads[upload.uploadId] = nil
            return object
        }
        call.mutated = true
        var xml = S3XMLBuilder(root: "CompleteMultipartUploadResult")
        xml.element("Location", "http://\(call.bucket).s3.amazonaws.com/\(Self.urlEncode(call.key))")
        xml.element("Bucket", call.bucket)
        xml.element("Key", call.key)
        xml.element("ETag", stored.eTag)
        xml.optional("ChecksumSHA256", checksums["SHA256"])
        xml.optional("ChecksumType", checksumType)
        var headers = Self.encryptionHeaders(stored.write)
        if versioning == .enabled { headers.append(("x-amz-version-id", stored.versionId)) }
        return call.xml(xml.finish(), headers: headers)
    }

    func abortMultipartUpload(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:AbortMultipartUpload", resource: call.objectResource))
        let upload = try pendingUpload(call, s3)
        try s3.modify(call.bucket) { bucket in bucket.uploads[upload.uploadId] = nil }
        call.mutated = true
        return call.respond(204)
    }
}
