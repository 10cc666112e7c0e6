import Foundation

extension S3Service {
    /// CopyObject's single-request limit: 5 GB (BC-S3 CopyObject; AWS-NOTES §3.1).
    static let maxCopySize: Int64 = 5 * 1024 * 1024 * 1024

    /// The source of a copy, read with the caller's permission on the source bucket.
    struct CopySource {
        var bucket: String
        var version: S3StoredVersion
        /// Whether the source bucket has ever been versioned (then `x-amz-copy-source-version-id`).
        var versionedBucket: Bool
        /// Whether `x-amz-copy-source` named a version (then the `…Version…` actions apply).
        var namedVersion: Bool
    }

    /// Parses `x-amz-copy-source` (`bucket/key` or `/bucket/key`, percent-encoded, then
    /// `?versionId=`), and reads it: `x-amz-source-expected-bucket-owner` enforced, read permission
    /// on the source (`s3:GetObject[Version]`), conditional headers.
    func copySource(_ call: S3Call, _ s3: S3State) throws(SimError) -> CopySource {
        guard var raw = call.header("x-amz-copy-source") else {
            throw S3Errors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
        }
        var versionId: String?
        if let range = raw.range(of: "?versionId=") {
            versionId = SimPercent.decode(String(raw[range.upperBound...]))
            raw = String(raw[..<range.lowerBound])
        }
        let decoded = SimPercent.decode(raw.hasPrefix("/") ? String(raw.dropFirst()) : raw)
        let parts = decoded.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw S3Errors.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
        }
        let bucketName = String(parts[0])
        let key = String(parts[1])
        let resource = "\(bucketName)/\(key)"
        try authorize(
            call, s3, .action(Self.objectAction("GetObject", versioned: versionId != nil), resource: resource), bucket: bucketName,
            expectedOwnerHeader: "x-amz-source-expected-bucket-owner")
        let bucket = s3.buckets[bucketName]!
        let found = versionId.map { bucket.version(key, $0) } ?? bucket.current(key)
        guard let found else {
            throw versionId == nil ? S3Errors.noSuchKey(bucketName, key) : S3Errors.noSuchVersion(bucketName, key)
        }
        if found.isDeleteMarker {
            if versionId != nil {
                throw S3Errors.invalidRequest(
                    "The source of a copy request may not specifically refer to a delete marker by version id.", resource)
            }
            throw S3Errors.noSuchKey(bucketName, key)
        }
        if let match = call.header("x-amz-copy-source-if-match"), Self.unquoted(match) != Self.unquoted(found.eTag) {
            throw S3Errors.preconditionFailed(resource)
        }
        if let noneMatch = call.header("x-amz-copy-source-if-none-match"), Self.unquoted(noneMatch) == Self.unquoted(found.eTag) {
            throw S3Errors.preconditionFailed(resource)
        }
        return CopySource(
            bucket: bucketName, version: found, versionedBucket: bucket.versioning != .unversioned, namedVersion: versionId != nil)
    }

    /// CopyObject (AWS-NOTES §3.1–3.2; [BC-S3] CopyObject, docs/SIMULATOR.md "CopyObject"): at
    /// most 5 GB (`InvalidRequest` above); content headers and user metadata COPY (the default;
    /// the request's own are ignored) or REPLACE (the request's, all of them) by
    /// `x-amz-metadata-directive`; tags COPY (the default) or REPLACE (`x-amz-tagging`) by
    /// `x-amz-tagging-directive`, kept across accounts as S3 does where moto loses them
    /// (MOTO-NOTES §3); copying a non-empty tag set needs `s3:GetObjectTagging` on the source
    /// and writing one `s3:PutObjectTagging` on the destination; storage class (STANDARD unless
    /// the request says), website redirect (only the request's), ACL and Object Lock never
    /// carried over; encryption the request's, else the destination bucket's default; the
    /// checksum algorithm carried over and the value recomputed; a multipart source becomes a
    /// single-part object.
    func copyObject(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:PutObject", resource: call.objectResource))
        let source = try copySource(call, s3)
        if source.version.size > Self.maxCopySize { throw S3Errors.copySourceTooLarge(call.objectResource) }
        let metadataDirective = call.header("x-amz-metadata-directive") ?? "COPY"
        let taggingDirective = call.header("x-amz-tagging-directive") ?? "COPY"
        guard ["COPY", "REPLACE"].contains(metadataDirective) else { throw S3Errors.invalidArgument("Unknown metadata directive.") }
        guard ["COPY", "REPLACE"].contains(taggingDirective) else { throw S3Errors.invalidArgument("Unknown tagging directive.") }
        var write = try S3ObjectWrite(headers: call.request, content: metadataDirective == "REPLACE")
        let from = source.version.write
        if metadataDirective == "COPY" {
            write.contentType = from.contentType
            write.cacheControl = from.cacheControl
            write.contentDisposition = from.contentDisposition
            write.contentEncoding = from.contentEncoding
            write.contentLanguage = from.contentLanguage
            write.expires = from.expires
            write.metadata = from.metadata
        }
        if taggingDirective == "COPY" {
            write.tags = from.tags
            if !from.tags.isEmpty {
                try authorize(
                    call, s3,
                    .action(
                        Self.objectAction("GetObjectTagging", versioned: source.namedVersion),
                        resource: "\(source.bucket)/\(source.version.key)"),
                    bucket: source.bucket, expectedOwnerHeader: "x-amz-source-expected-bucket-owner")
            }
        }
        if !write.tags.isEmpty { try authorize(call, s3, .action("s3:PutObjectTagging", resource: call.objectResource)) }
        let sameObject =
            source.bucket == call.bucket && source.version.key == call.key
            && source.version.versionId == s3.buckets[call.bucket]?.current(call.key)?.versionId
        if sameObject && metadataDirective == "COPY" && call.header("x-amz-storage-class") == nil
            && call.header("x-amz-server-side-encryption") == nil && call.header("x-amz-website-redirect-location") == nil
        {
            throw S3Errors.invalidRequest(
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
                call.objectResource)
        }
        try checkWritePreconditions(call, s3.buckets[call.bucket]!)
        try applyLockRules(&write, call, s3.buckets[call.bucket]!, integrity: true)
        try Self.requireKMS(call, source.version.write, "kms:Decrypt")
        var encrypted = write
        Self.applyDefaultEncryption(&encrypted, s3.buckets[call.bucket]!)
        try Self.requireKMS(call, encrypted, "kms:GenerateDataKey")
        let (checksums, checksumType) = try Self.copiedChecksums(source.version, requested: call.header("x-amz-checksum-algorithm"))
        let (key, account, now) = (call.key, call.account, call.now)
        let versioning = s3.buckets[call.bucket]!.versioning
        let eTag = Self.copiedETag(source.version)
        let stored = try s3.modify(call.bucket) { bucket throws(SimError) in
            Self.applyDefaultEncryption(&write, bucket)
            let object = S3StoredVersion(
                key: key, versionId: versioning == .enabled ? bucket.newVersionId() : "null", lastModified: now,
                ownerAccount: Self.objectOwner(bucket, writer: account), body: source.version.body, eTag: eTag, write: write,
                checksums: checksums, checksumType: checksumType)
            bucket.append(object)
            return object
        }
        call.mutated = true
        var xml = S3XMLBuilder(root: "CopyObjectResult")
        xml.element("ETag", stored.eTag)
        xml.element("LastModified", S3Time.iso8601(stored.lastModified))
        for (algorithm, value) in stored.checksums.sorted(by: { $0.key < $1.key }) { xml.element("Checksum\(algorithm)", value) }
        if stored.checksumType != nil { xml.element("ChecksumType", stored.checksumType!) }
        var headers = Self.encryptionHeaders(stored.write)
        if versioning == .enabled { headers.append(("x-amz-version-id", stored.versionId)) }
        if source.versionedBucket { headers.append(("x-amz-copy-source-version-id", source.version.versionId)) }
        return call.xml(xml.finish(), headers: headers)
    }

    /// The checksum of a copy: the requested algorithm or the source's, recomputed over the whole
    /// object (SHA-256 computed here; other algorithms carried over only from a full-object value).
    /// The copy's ETag when it is known without reading the bytes: a single-part source's bytes
    /// are the copy's bytes, so its MD5 is the copy's. Nil (hash the body) for a multipart source,
    /// whose copy is single-part with the MD5 of the whole content, and for synthetic content,
    /// whose stand-in digest is labelled by key. Hashing every copied byte again was about two
    /// thirds of the simulator's CPU in the bulk-copy benchmark, on the cores the copy shares.
    static func copiedETag(_ source: S3StoredVersion) -> String? {
        guard case .bytes = source.body, source.parts.isEmpty, !source.eTag.isEmpty, !source.eTag.contains("-") else { return nil }
        return source.eTag
    }

    static func copiedChecksums(_ source: S3StoredVersion, requested: String?) throws(SimError) -> ([String: String], String?) {
        let algorithm = requested?.uppercased() ?? source.checksums.keys.sorted().first
        guard let algorithm else { return ([:], nil) }
        guard S3Payload.checksumAlgorithms.contains(algorithm) else {
            throw S3Errors.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types")
        }
        if algorithm == "SHA256" {
            switch source.body {
            case .bytes(let data): return (["SHA256": Data(S3Digest.sha256(data)).base64EncodedString()], "FULL_OBJECT")
            case .synthetic:
                let value = source.checksumType == "FULL_OBJECT" ? source.checksums["SHA256"] : nil
                return (value.map { ["SHA256": $0] } ?? [:], value == nil ? nil : "FULL_OBJECT")
            }
        }
        if source.checksumType == "FULL_OBJECT", let value = source.checksums[algorithm] { return ([algorithm: value], "FULL_OBJECT") }
        return ([:], nil)
    }
}
