import Foundation

extension S3Client {
    /// Writes a small object in one request.
    ///
    /// - Parameter checksumSHA256: send `x-amz-checksum-sha256` (with
    ///   `x-amz-sdk-checksum-algorithm: SHA256`), so S3 verifies the bytes and stores the checksum
    ///   for later HeadObject/GetObjectAttributes comparisons.
    /// - Parameter ifNoneMatch: `*` fails with 412 `PreconditionFailed` when the key exists.
    @discardableResult
    public func putObject(
        bucket: String, key: String, body: Data, options: S3WriteOptions = S3WriteOptions(), checksumSHA256: Bool = true,
        ifNoneMatch: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3WriteResult {
        let request = putObjectRequest(
            bucket: bucket, key: key, body: body, options: options, checksumSHA256: checksumSHA256, ifNoneMatch: ifNoneMatch,
            expectedBucketOwner: expectedBucketOwner)
        let response = try await send(request)
        return S3WriteResult(
            eTag: response.headers["ETag"], versionId: response.headers["x-amz-version-id"],
            checksums: Self.checksumHeaders(response.headers), requestId: response.requestId)
    }

    func putObjectRequest(
        bucket: String, key: String, body: Data, options: S3WriteOptions, checksumSHA256: Bool, ifNoneMatch: String?,
        expectedBucketOwner: String?
    ) -> AWSRequest {
        var headers = ownerHeaders(expectedBucketOwner)
        options.apply(to: &headers)
        if checksumSHA256 {
            headers.set("x-amz-sdk-checksum-algorithm", "SHA256")
            headers.set("x-amz-checksum-sha256", S3Checksum.sha256Base64(body))
        }
        if let ifNoneMatch { headers.set("If-None-Match", ifNoneMatch) }
        return AWSRequest(
            operation: "PutObject", method: "PUT", path: Self.objectPath(key), bucket: bucket, headers: headers, body: body,
            resource: "\(bucket)/\(key)")
    }

    /// Reads a whole (small) object into memory.
    public func getObject(
        bucket: String, key: String, versionId: String? = nil, checksumMode: Bool = false, expectedBucketOwner: String? = nil
    ) async throws -> S3ObjectContent {
        var headers = ownerHeaders(expectedBucketOwner)
        if checksumMode { headers.set("x-amz-checksum-mode", "ENABLED") }
        let request = AWSRequest(
            operation: "GetObject", path: Self.objectPath(key), bucket: bucket, query: versionQuery(versionId), headers: headers,
            resource: "\(bucket)/\(key)")
        let response = try await send(request)
        do {
            var headers = response.headers
            // A chunked answer has no Content-Length; the body read in full is then the length.
            if headers["Content-Length"] == nil { headers.set("Content-Length", String(response.body.count)) }
            let metadata = try S3ObjectMetadata(headers: headers)
            if metadata.contentLength != Int64(response.body.count) {
                throw XMLDecodeError(message: "Content-Length \(metadata.contentLength) but \(response.body.count) bytes arrived")
            }
            return S3ObjectContent(metadata: metadata, body: response.body)
        } catch {
            throw client.malformed(request, response, reason: "\(error)")
        }
    }

    /// HeadObject: the object's size, ETag, metadata, storage class, encryption, checksums and
    /// Object Lock state; `nil` when S3 answers 404 (no such key — or no such bucket, or the
    /// current version is a delete marker: a HEAD answer carries no body to tell them apart).
    ///
    /// - Parameter checksumMode: send `x-amz-checksum-mode: ENABLED` so stored checksums come
    ///   back. For SSE-KMS objects this needs `kms:Decrypt`.
    public func headObject(
        bucket: String, key: String, versionId: String? = nil, checksumMode: Bool = true, expectedBucketOwner: String? = nil
    ) async throws -> S3ObjectMetadata? {
        var headers = ownerHeaders(expectedBucketOwner)
        if checksumMode { headers.set("x-amz-checksum-mode", "ENABLED") }
        let request = AWSRequest(
            operation: "HeadObject", method: "HEAD", path: Self.objectPath(key), bucket: bucket, query: versionQuery(versionId),
            headers: headers, resource: "\(bucket)/\(key)")
        let response: AWSResponse
        do {
            response = try await send(request)
        } catch let error as AWSError where error.origin == .service && error.httpStatus == 404 {
            return nil
        }
        do {
            return try S3ObjectMetadata(headers: response.headers)
        } catch {
            throw client.malformed(request, response, reason: "\(error)")
        }
    }

    /// GetObjectAttributes: ETag, checksum, size, storage class and parts in one call.
    public func getObjectAttributes(
        bucket: String, key: String, versionId: String? = nil,
        attributes: [String] = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"],
        maxParts: Int? = nil, partNumberMarker: Int? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3ObjectAttributes {
        var headers = ownerHeaders(expectedBucketOwner)
        headers.set("x-amz-object-attributes", attributes.joined(separator: ","))
        if let maxParts { headers.set("x-amz-max-parts", String(maxParts)) }
        if let partNumberMarker { headers.set("x-amz-part-number-marker", String(partNumberMarker)) }
        let request = AWSRequest(
            operation: "GetObjectAttributes", path: Self.objectPath(key), bucket: bucket,
            query: [("attributes", "")] + versionQuery(versionId), headers: headers, resource: "\(bucket)/\(key)")
        let response = try await send(request)
        return try decodeXML(request, response) { try S3ObjectAttributes(xml: $0, versionId: response.headers["x-amz-version-id"]) }
    }

    /// Deletes one object, or one version of it. Without a version ID on a versioned bucket this
    /// only adds a delete marker (the receipt's `versionId` is the marker's). `irreversible`: never
    /// resent after a lost answer, for a caller that adds markers on purpose and must look first.
    @discardableResult
    public func deleteObject(
        bucket: String, key: String, versionId: String? = nil, bypassGovernanceRetention: Bool = false,
        expectedBucketOwner: String? = nil, irreversible: Bool = false
    ) async throws -> S3Receipt {
        var headers = ownerHeaders(expectedBucketOwner)
        if bypassGovernanceRetention { headers.set("x-amz-bypass-governance-retention", "true") }
        let request = AWSRequest(
            operation: "DeleteObject", method: "DELETE", path: Self.objectPath(key), bucket: bucket,
            query: versionQuery(versionId), headers: headers, resource: "\(bucket)/\(key)", irreversible: irreversible)
        return S3Receipt(try await send(request))
    }

    /// Deletes up to 1,000 objects or versions in one request.
    ///
    /// A 200 answer can still list per-key failures in `errors`; check them. More than 1,000 keys
    /// (or none) throws `S3RequestError` without sending anything. S3 requires an integrity
    /// header here; like botocore we send `x-amz-checksum-crc32`.
    /// - Parameter quiet: S3 then reports only failures.
    public func deleteObjects(
        bucket: String, objects: [S3ObjectIdentifier], quiet: Bool = false, bypassGovernanceRetention: Bool = false,
        mfa: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3DeleteResult {
        let request = try deleteObjectsRequest(
            bucket: bucket, objects: objects, quiet: quiet, bypassGovernanceRetention: bypassGovernanceRetention, mfa: mfa,
            expectedBucketOwner: expectedBucketOwner)
        let response = try await send(request)
        return try decodeXML(request, response) { try S3DeleteResult(xml: $0, requestId: response.requestId) }
    }

    /// S3's limit on keys per DeleteObjects request.
    public static let maxKeysPerDelete = 1_000

    func deleteObjectsRequest(
        bucket: String, objects: [S3ObjectIdentifier], quiet: Bool, bypassGovernanceRetention: Bool, mfa: String?,
        expectedBucketOwner: String?
    ) throws -> AWSRequest {
        guard objects.count <= Self.maxKeysPerDelete else {
            throw S3RequestError(
                code: .tooManyKeys,
                message: "DeleteObjects takes at most \(Self.maxKeysPerDelete) keys; \(objects.count) given. Split the list into batches.",
                operation: "DeleteObjects", resource: bucket)
        }
        guard !objects.isEmpty else {
            throw S3RequestError(
                code: .invalidArgument, message: "DeleteObjects needs at least one key (S3 answers MalformedXML otherwise).",
                operation: "DeleteObjects", resource: bucket)
        }
        let body = S3DeleteResult.deleteDocument(objects, quiet: quiet).data
        var headers = ownerHeaders(expectedBucketOwner)
        for (name, value) in S3Checksum.requiredHeaders(for: body) { headers.set(name, value) }
        headers.set("Content-Type", "application/xml")
        if bypassGovernanceRetention { headers.set("x-amz-bypass-governance-retention", "true") }
        if let mfa { headers.set("x-amz-mfa", mfa) }
        return AWSRequest(
            operation: "DeleteObjects", method: "POST", path: "/", bucket: bucket, query: [("delete", "")], headers: headers,
            body: body, resource: bucket, irreversible: true)
    }

    // MARK: - Object tagging

    /// The object's tag set (empty when it has none).
    public func getObjectTagging(
        bucket: String, key: String, versionId: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> [S3Tag] {
        let request = AWSRequest(
            operation: "GetObjectTagging", path: Self.objectPath(key), bucket: bucket,
            query: [("tagging", "")] + versionQuery(versionId), headers: ownerHeaders(expectedBucketOwner),
            resource: "\(bucket)/\(key)")
        return try await sendXML(request, decode: S3Tag.decodeTagging)
    }

    /// Replaces the object's tag set.
    @discardableResult
    public func putObjectTagging(
        bucket: String, key: String, tags: [S3Tag], versionId: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        let body = S3Tag.taggingDocument(tags).data
        var headers = ownerHeaders(expectedBucketOwner)
        for (name, value) in S3Checksum.requiredHeaders(for: body) { headers.set(name, value) }
        headers.set("Content-Type", "application/xml")
        let request = AWSRequest(
            operation: "PutObjectTagging", method: "PUT", path: Self.objectPath(key), bucket: bucket,
            query: [("tagging", "")] + versionQuery(versionId), headers: headers, body: body, resource: "\(bucket)/\(key)")
        return S3Receipt(try await send(request))
    }

    /// Removes every tag from the object.
    @discardableResult
    public func deleteObjectTagging(
        bucket: String, key: String, versionId: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        let request = AWSRequest(
            operation: "DeleteObjectTagging", method: "DELETE", path: Self.objectPath(key), bucket: bucket,
            query: [("tagging", "")] + versionQuery(versionId), headers: ownerHeaders(expectedBucketOwner),
            resource: "\(bucket)/\(key)")
        return S3Receipt(try await send(request))
    }

    // MARK: - Helpers

    func versionQuery(_ versionId: String?) -> [(name: String, value: String)] {
        versionId.map { [("versionId", $0)] } ?? []
    }

    /// `x-amz-checksum-sha256: …` → `["SHA256": …]`.
    static func checksumHeaders(_ headers: HTTPHeaders) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower.hasPrefix("x-amz-checksum-"), lower != "x-amz-checksum-type", lower != "x-amz-checksum-mode" {
                result[String(lower.dropFirst("x-amz-checksum-".count)).uppercased()] = value
            }
        }
        return result
    }
}
