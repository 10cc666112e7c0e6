import Foundation

extension S3Client {
    /// CopyObject: a server-side copy of up to 5 GB.
    ///
    /// S3 can answer 200 and still fail (an `<Error>` body); the request is flagged so the client
    /// raises it as the `AWSError` it is. An empty or undecodable 200 body is `MalformedResponse`.
    public func copyObject(_ copy: S3CopyObjectRequest) async throws -> S3CopyResult {
        let request = copyObjectRequest(copy)
        let response = try await send(request)
        var result = try decodeXML(request, response) {
            try S3CopyResult(xml: $0, root: "CopyObjectResult", headers: response.headers, requestId: response.requestId)
        }
        result.throttledAttempts = response.throttledAttempts
        return result
    }

    func copyObjectRequest(_ copy: S3CopyObjectRequest) -> AWSRequest {
        var headers = ownerHeaders(copy.expectedBucketOwner)
        headers.reserveCapacity(8)  // the owners, source, directives, checksum, if-match, one spare
        headers.set(
            "x-amz-copy-source",
            S3CopyObjectRequest.copySource(bucket: copy.sourceBucket, key: copy.sourceKey, versionId: copy.sourceVersionId))
        headers.set("x-amz-metadata-directive", copy.metadataDirective.rawValue)
        headers.set("x-amz-tagging-directive", copy.taggingDirective.rawValue)
        var options = copy.options
        if copy.taggingDirective == .copy { options.tags = nil }
        options.apply(to: &headers, content: copy.metadataDirective == .replace)
        if let algorithm = copy.checksumAlgorithm { headers.set("x-amz-checksum-algorithm", algorithm) }
        if let owner = copy.expectedSourceBucketOwner { headers.set("x-amz-source-expected-bucket-owner", owner) }
        if let etag = copy.sourceIfMatch { headers.set("x-amz-copy-source-if-match", etag) }
        var request = AWSRequest(
            operation: "CopyObject", method: "PUT", path: Self.objectPath(copy.key), bucket: copy.bucket, headers: headers,
            resource: "\(copy.sourceBucket)/\(copy.sourceKey) → \(copy.bucket)/\(copy.key)", errorMayHideIn200: true,
            irreversible: copy.irreversible)
        request.bulk = true
        return request
    }

    /// CreateMultipartUpload: starts an upload and returns its upload ID.
    ///
    /// - Parameter checksumAlgorithm: `x-amz-checksum-algorithm`; parts then carry checksums.
    public func createMultipartUpload(
        bucket: String, key: String, options: S3WriteOptions = S3WriteOptions(), checksumAlgorithm: String? = nil,
        expectedBucketOwner: String? = nil
    ) async throws -> String {
        var headers = ownerHeaders(expectedBucketOwner)
        options.apply(to: &headers)
        if let checksumAlgorithm { headers.set("x-amz-checksum-algorithm", checksumAlgorithm) }
        let request = AWSRequest(
            operation: "CreateMultipartUpload", method: "POST", path: Self.objectPath(key), bucket: bucket,
            query: [("uploads", "")], headers: headers, resource: "\(bucket)/\(key)")
        return try await sendXML(request) { root in
            try S3Decoding.expectRoot(root, "InitiateMultipartUploadResult")
            return try root.require("UploadId")
        }
    }

    /// UploadPartCopy: copies `range` of the source (all of it when nil) into part `partNumber`.
    ///
    /// Parts are 5 MiB to 5 GiB, except the last; 1 to 10,000 of them. The returned ETag (and
    /// checksums) go into `completeMultipartUpload`.
    public func uploadPartCopy(
        bucket: String, key: String, uploadId: String, partNumber: Int, sourceBucket: String, sourceKey: String,
        sourceVersionId: String? = nil, range: ClosedRange<Int64>? = nil, expectedSourceBucketOwner: String? = nil,
        sourceIfMatch: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3CopyResult {
        guard (1...10_000).contains(partNumber) else {
            throw S3RequestError(
                code: .invalidArgument, message: "part numbers run from 1 to 10,000; \(partNumber) given",
                operation: "UploadPartCopy", resource: "\(bucket)/\(key)")
        }
        if let range, range.lowerBound < 0 {
            throw S3RequestError(
                code: .invalidArgument, message: "a byte range cannot start before 0", operation: "UploadPartCopy",
                resource: "\(bucket)/\(key)")
        }
        var headers = ownerHeaders(expectedBucketOwner)
        headers.set("x-amz-copy-source", S3CopyObjectRequest.copySource(bucket: sourceBucket, key: sourceKey, versionId: sourceVersionId))
        if let range { headers.set("x-amz-copy-source-range", "bytes=\(range.lowerBound)-\(range.upperBound)") }
        if let owner = expectedSourceBucketOwner { headers.set("x-amz-source-expected-bucket-owner", owner) }
        if let etag = sourceIfMatch { headers.set("x-amz-copy-source-if-match", etag) }
        let request = AWSRequest(
            operation: "UploadPartCopy", method: "PUT", path: Self.objectPath(key), bucket: bucket,
            query: [("partNumber", String(partNumber)), ("uploadId", uploadId)], headers: headers,
            resource: "\(sourceBucket)/\(sourceKey) → \(bucket)/\(key) part \(partNumber)", errorMayHideIn200: true)
        let response = try await send(request)
        return try decodeXML(request, response) {
            try S3CopyResult(xml: $0, root: "CopyPartResult", headers: response.headers, requestId: response.requestId)
        }
    }

    /// CompleteMultipartUpload: assembles the parts into the object.
    ///
    /// S3 can answer 200 and fail later in the body (flagged, so that becomes an `AWSError`).
    public func completeMultipartUpload(
        bucket: String, key: String, uploadId: String, parts: [S3CompletedPart], expectedBucketOwner: String? = nil
    ) async throws -> S3WriteResult {
        let request = completeMultipartUploadRequest(
            bucket: bucket, key: key, uploadId: uploadId, parts: parts, expectedBucketOwner: expectedBucketOwner)
        let response = try await send(request)
        return try decodeXML(request, response) { root in
            try S3Decoding.expectRoot(root, "CompleteMultipartUploadResult", alternates: "CompleteMultipartUploadResponse")
            return S3WriteResult(
                eTag: try root.require("ETag"), versionId: response.headers["x-amz-version-id"],
                checksums: S3ObjectAttributes.checksums(in: root), requestId: response.requestId)
        }
    }

    func completeMultipartUploadRequest(
        bucket: String, key: String, uploadId: String, parts: [S3CompletedPart], expectedBucketOwner: String?
    ) -> AWSRequest {
        var headers = ownerHeaders(expectedBucketOwner)
        headers.set("Content-Type", "application/xml")
        return AWSRequest(
            operation: "CompleteMultipartUpload", method: "POST", path: Self.objectPath(key), bucket: bucket,
            query: [("uploadId", uploadId)], headers: headers, body: S3CompletedPart.completeDocument(parts).data,
            resource: "\(bucket)/\(key)", errorMayHideIn200: true)
    }

    /// AbortMultipartUpload: discards the upload and its parts. Parts still being uploaded may
    /// survive one abort; list again and repeat when emptying a bucket.
    @discardableResult
    public func abortMultipartUpload(
        bucket: String, key: String, uploadId: String, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        let request = AWSRequest(
            operation: "AbortMultipartUpload", method: "DELETE", path: Self.objectPath(key), bucket: bucket,
            query: [("uploadId", uploadId)], headers: ownerHeaders(expectedBucketOwner), resource: "\(bucket)/\(key)")
        return S3Receipt(try await send(request))
    }
}
