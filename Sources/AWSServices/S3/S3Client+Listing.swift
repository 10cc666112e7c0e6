extension S3Client {
    /// One page of ListObjectsV2.
    ///
    /// Keys are requested with `encoding-type=url` (as botocore does) and decoded, so keys with
    /// characters XML 1.0 cannot carry still list correctly.
    /// - Parameter maxKeys: at most 1,000 per page on AWS (moto returns more when asked).
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, maxKeys: Int? = nil,
        continuationToken: String? = nil, startAfter: String? = nil, fetchOwner: Bool = false,
        expectedBucketOwner: String? = nil
    ) async throws -> S3ObjectListing {
        var query: [(name: String, value: String)] = [("list-type", "2"), ("encoding-type", "url")]
        if let prefix { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let startAfter { query.append(("start-after", startAfter)) }
        if fetchOwner { query.append(("fetch-owner", "true")) }
        let request = AWSRequest(
            operation: "ListObjectsV2", path: "/", bucket: bucket, query: query, headers: ownerHeaders(expectedBucketOwner),
            resource: bucket)
        return try await sendXML(request, decode: S3ObjectListing.init(xml:))
    }

    /// Every page of ListObjectsV2, following continuation tokens.
    public func listObjectsV2Pages(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, maxKeys: Int? = nil, fetchOwner: Bool = false,
        expectedBucketOwner: String? = nil
    ) -> S3Paginator<S3ObjectListing, String> {
        S3Paginator(start: nil) { token in
            let page = try await listObjectsV2(
                bucket: bucket, prefix: prefix, delimiter: delimiter, maxKeys: maxKeys, continuationToken: token,
                fetchOwner: fetchOwner, expectedBucketOwner: expectedBucketOwner)
            return (page, page.nextContinuationToken)
        }
    }

    /// Every object under `prefix`, all pages collected. For large buckets iterate
    /// `listObjectsV2Pages` instead, which holds one page at a time.
    public func listAllObjects(bucket: String, prefix: String? = nil, expectedBucketOwner: String? = nil) async throws -> [S3ObjectSummary]
    {
        var all: [S3ObjectSummary] = []
        for try await page in listObjectsV2Pages(bucket: bucket, prefix: prefix, expectedBucketOwner: expectedBucketOwner) {
            all += page.objects
        }
        return all
    }

    /// One page of ListObjectVersions (versions and delete markers).
    public func listObjectVersions(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, maxKeys: Int? = nil, keyMarker: String? = nil,
        versionIdMarker: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3VersionListing {
        var query: [(name: String, value: String)] = [("versions", ""), ("encoding-type", "url")]
        if let prefix { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        if let keyMarker { query.append(("key-marker", keyMarker)) }
        if let versionIdMarker { query.append(("version-id-marker", versionIdMarker)) }
        let request = AWSRequest(
            operation: "ListObjectVersions", path: "/", bucket: bucket, query: query,
            headers: ownerHeaders(expectedBucketOwner), resource: bucket)
        return try await sendXML(request, decode: S3VersionListing.init(xml:))
    }

    /// Every page of ListObjectVersions, following the key and version-ID markers.
    public func listObjectVersionsPages(
        bucket: String, prefix: String? = nil, maxKeys: Int? = nil, expectedBucketOwner: String? = nil
    ) -> S3Paginator<S3VersionListing, S3VersionMarker> {
        S3Paginator(start: nil) { marker in
            let page = try await listObjectVersions(
                bucket: bucket, prefix: prefix, maxKeys: maxKeys, keyMarker: marker?.key, versionIdMarker: marker?.versionId,
                expectedBucketOwner: expectedBucketOwner)
            return (page, page.nextKeyMarker.map { S3VersionMarker(key: $0, versionId: page.nextVersionIdMarker) })
        }
    }

    /// One page of ListMultipartUploads (incomplete uploads, which cost storage until aborted).
    public func listMultipartUploads(
        bucket: String, prefix: String? = nil, maxUploads: Int? = nil, keyMarker: String? = nil,
        uploadIdMarker: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3UploadListing {
        var query: [(name: String, value: String)] = [("uploads", ""), ("encoding-type", "url")]
        if let prefix { query.append(("prefix", prefix)) }
        if let maxUploads { query.append(("max-uploads", String(maxUploads))) }
        if let keyMarker { query.append(("key-marker", keyMarker)) }
        if let uploadIdMarker { query.append(("upload-id-marker", uploadIdMarker)) }
        let request = AWSRequest(
            operation: "ListMultipartUploads", path: "/", bucket: bucket, query: query,
            headers: ownerHeaders(expectedBucketOwner), resource: bucket)
        return try await sendXML(request, decode: S3UploadListing.init(xml:))
    }

    /// Every page of ListMultipartUploads.
    public func listMultipartUploadsPages(
        bucket: String, prefix: String? = nil, expectedBucketOwner: String? = nil
    ) -> S3Paginator<S3UploadListing, S3VersionMarker> {
        S3Paginator(start: nil) { marker in
            let page = try await listMultipartUploads(
                bucket: bucket, prefix: prefix, keyMarker: marker?.key, uploadIdMarker: marker?.versionId,
                expectedBucketOwner: expectedBucketOwner)
            return (page, page.nextKeyMarker.map { S3VersionMarker(key: $0, versionId: page.nextUploadIdMarker) })
        }
    }
}
