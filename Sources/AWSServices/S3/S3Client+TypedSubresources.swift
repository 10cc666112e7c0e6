import Foundation

/// Typed reads and writes for the bucket configurations with a simple shape. Each goes through
/// the verbatim `getBucketSubresource`/`putBucketSubresource`, so "not configured" is nil here too.
extension S3Client {
    /// The bucket policy JSON; nil when the bucket has none.
    public func getBucketPolicy(bucket: String, expectedBucketOwner: String? = nil) async throws -> String? {
        try await getBucketSubresource(.policy, bucket: bucket, expectedBucketOwner: expectedBucketOwner)?.document
    }

    @discardableResult
    public func putBucketPolicy(bucket: String, policy: String, expectedBucketOwner: String? = nil) async throws -> S3Receipt {
        try await putBucketSubresource(
            BucketSubresourceDocument(subresource: .policy, document: policy), bucket: bucket, expectedBucketOwner: expectedBucketOwner)
    }

    /// Versioning state; `status` nil for a never-versioned bucket (never nil itself).
    public func getBucketVersioning(bucket: String, expectedBucketOwner: String? = nil) async throws -> S3VersioningConfiguration {
        let request = AWSRequest(
            operation: "GetBucketVersioning", path: "/", bucket: bucket, query: [("versioning", "")],
            headers: ownerHeaders(expectedBucketOwner), resource: bucket)
        return try await sendXML(request, decode: S3VersioningConfiguration.init(xml:))
    }

    /// Sets versioning `Enabled` or `Suspended`. AWS recommends waiting 15 minutes after first
    /// enabling it before writing objects.
    @discardableResult
    public func putBucketVersioning(
        bucket: String, _ configuration: S3VersioningConfiguration, mfa: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        try await putBucketSubresource(
            BucketSubresourceDocument(subresource: .versioning, document: configuration.document), bucket: bucket, mfa: mfa,
            expectedBucketOwner: expectedBucketOwner)
    }

    /// The bucket's tag set; nil when it has none.
    public func getBucketTagging(bucket: String, expectedBucketOwner: String? = nil) async throws -> [S3Tag]? {
        try await typed(.tagging, bucket: bucket, expectedBucketOwner: expectedBucketOwner, decode: S3Tag.decodeTagging)
    }

    @discardableResult
    public func putBucketTagging(bucket: String, tags: [S3Tag], expectedBucketOwner: String? = nil) async throws -> S3Receipt {
        try await putBucketSubresource(
            BucketSubresourceDocument(subresource: .tagging, document: S3Tag.taggingDocument(tags).document), bucket: bucket,
            expectedBucketOwner: expectedBucketOwner)
    }

    public func getPublicAccessBlock(bucket: String, expectedBucketOwner: String? = nil) async throws -> S3PublicAccessBlock? {
        try await typed(
            .publicAccessBlock, bucket: bucket, expectedBucketOwner: expectedBucketOwner, decode: S3PublicAccessBlock.init(xml:))
    }

    @discardableResult
    public func putPublicAccessBlock(
        bucket: String, _ block: S3PublicAccessBlock, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        try await putBucketSubresource(
            BucketSubresourceDocument(subresource: .publicAccessBlock, document: block.document), bucket: bucket,
            expectedBucketOwner: expectedBucketOwner)
    }

    /// The Object Ownership setting (`BucketOwnerEnforced`, `BucketOwnerPreferred`,
    /// `ObjectWriter`); nil when no ownership controls are set.
    public func getBucketOwnershipControls(bucket: String, expectedBucketOwner: String? = nil) async throws -> String? {
        try await typed(.ownershipControls, bucket: bucket, expectedBucketOwner: expectedBucketOwner) { root in
            try S3Decoding.expectRoot(root, "OwnershipControls")
            guard let ownership = root.path("Rule", "ObjectOwnership")?.trimmedText else {
                throw XMLDecodeError(message: "element <Rule><ObjectOwnership> missing in <OwnershipControls>")
            }
            return ownership
        }
    }

    @discardableResult
    public func putBucketOwnershipControls(
        bucket: String, objectOwnership: String, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        var xml = XMLWriter()
        xml.start("OwnershipControls", namespace: Self.namespace)
        xml.element("Rule") { $0.element("ObjectOwnership", objectOwnership) }
        xml.end()
        return try await putBucketSubresource(
            BucketSubresourceDocument(subresource: .ownershipControls, document: xml.document), bucket: bucket,
            expectedBucketOwner: expectedBucketOwner)
    }

    /// Transfer Acceleration: `Enabled`, `Suspended`, or nil when never configured.
    public func getBucketAccelerate(bucket: String, expectedBucketOwner: String? = nil) async throws -> String? {
        try await typed(.accelerate, bucket: bucket, expectedBucketOwner: expectedBucketOwner) { try $0.require("Status") }
    }

    @discardableResult
    public func putBucketAccelerate(bucket: String, status: String, expectedBucketOwner: String? = nil) async throws -> S3Receipt {
        var xml = XMLWriter()
        xml.start("AccelerateConfiguration", namespace: Self.namespace)
        xml.element("Status", status)
        xml.end()
        return try await putBucketSubresource(
            BucketSubresourceDocument(subresource: .accelerate, document: xml.document), bucket: bucket,
            expectedBucketOwner: expectedBucketOwner)
    }

    /// Who pays for requests: `BucketOwner` (S3's default) or `Requester`.
    public func getBucketRequestPayment(bucket: String, expectedBucketOwner: String? = nil) async throws -> String {
        let request = AWSRequest(
            operation: "GetBucketRequestPayment", path: "/", bucket: bucket, query: [("requestPayment", "")],
            headers: ownerHeaders(expectedBucketOwner), resource: bucket)
        return try await sendXML(request) { root in
            try S3Decoding.expectRoot(root, "RequestPaymentConfiguration")
            return try root.require("Payer")
        }
    }

    @discardableResult
    public func putBucketRequestPayment(bucket: String, payer: String, expectedBucketOwner: String? = nil) async throws -> S3Receipt {
        var xml = XMLWriter()
        xml.start("RequestPaymentConfiguration", namespace: Self.namespace)
        xml.element("Payer", payer)
        xml.end()
        return try await putBucketSubresource(
            BucketSubresourceDocument(subresource: .requestPayment, document: xml.document), bucket: bucket,
            expectedBucketOwner: expectedBucketOwner)
    }

    /// Gets the verbatim document and decodes it; a document that does not decode is
    /// `MalformedResponse`.
    private func typed<T>(
        _ subresource: BucketSubresource, bucket: String, expectedBucketOwner: String?, decode: (XMLNode) throws -> T
    ) async throws -> T? {
        let request = AWSRequest(
            operation: "Get\(subresource.operationStem)", path: "/", bucket: bucket, query: [(subresource.queryName, "")],
            headers: ownerHeaders(expectedBucketOwner), resource: bucket)
        let response: AWSResponse
        do {
            response = try await send(request)
        } catch let error as AWSError where error.origin == .service && subresource.notConfiguredCodes.contains(error.code) {
            return nil
        }
        guard try decodeSubresource(subresource, request, response) != nil else { return nil }
        return try decodeXML(request, response, decode: decode)
    }
}
