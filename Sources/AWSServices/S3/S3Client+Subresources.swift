import Foundation

extension S3Client {
    /// Reads one bucket configuration verbatim; `nil` when it is not configured.
    ///
    /// "Not configured" is an answer, not an error: the sub-resource's own 404 code
    /// (`NoSuchBucketPolicy`, `NoSuchCORSConfiguration`, …) or, for versioning, logging,
    /// notification and acceleration, an empty 200 document. Any other failure is an `AWSError`;
    /// a 200 whose body is not the expected document (wrong root, empty, not XML) is
    /// `MalformedResponse` — never taken as "not configured".
    public func getBucketSubresource(
        _ subresource: BucketSubresource, bucket: String, expectedBucketOwner: String? = nil
    ) async throws -> BucketSubresourceDocument? {
        let request = AWSRequest(
            operation: "Get\(subresource.operationStem)", path: "/", bucket: bucket, query: [(subresource.queryName, "")],
            headers: ownerHeaders(expectedBucketOwner), resource: bucket)
        let response: AWSResponse
        do {
            response = try await send(request)
        } catch let error as AWSError where error.origin == .service && subresource.notConfiguredCodes.contains(error.code) {
            return nil
        }
        return try decodeSubresource(subresource, request, response)
    }

    func decodeSubresource(
        _ subresource: BucketSubresource, _ request: AWSRequest, _ response: AWSResponse
    ) throws -> BucketSubresourceDocument? {
        guard let text = String(data: response.body, encoding: .utf8), !text.isEmpty else {
            throw client.malformed(request, response, reason: "the body is empty or not UTF-8")
        }
        guard let rootName = subresource.rootElement else {
            // The policy: a JSON object. S3 validates it on PUT; check it is at least JSON here so an
            // HTML error page or an XML listing is never captured as a policy.
            guard (try? JSONSerialization.jsonObject(with: response.body)) is [String: Any] else {
                throw client.malformed(request, response, reason: "the bucket policy is not a JSON object")
            }
            return BucketSubresourceDocument(subresource: subresource, document: text)
        }
        let (unconfigured, actualRoot) = try decodeXML(request, response) { root in
            guard root.localName == rootName || subresource.alternateRoots.contains(root.localName) else {
                throw XMLDecodeError(message: "expected <\(rootName)>, got <\(root.name)>")
            }
            return (subresource.isUnconfigured(root), root.name)
        }
        if unconfigured { return nil }
        var document = text
        if actualRoot != rootName {
            guard let renamed = Self.renamingRoot(of: text, from: actualRoot, to: rootName) else {
                throw client.malformed(request, response, reason: "cannot rename the root <\(actualRoot)> to <\(rootName)>")
            }
            document = renamed
        }
        return BucketSubresourceDocument(
            subresource: subresource, document: document,
            transitionDefaultMinimumObjectSize: subresource == .lifecycle
                ? response.headers["x-amz-transition-default-minimum-object-size"] : nil)
    }

    /// Renames the root element of a well-formed document, leaving every other byte as it was.
    static func renamingRoot(of text: String, from old: String, to new: String) -> String? {
        guard let open = text.range(of: "<" + old) else { return nil }
        var result = text
        result.replaceSubrange(open, with: "<" + new)
        if let close = result.range(of: "</" + old + ">", options: .backwards) {
            result.replaceSubrange(close, with: "</" + new + ">")
        } else if !result[open.lowerBound...].contains("/>") {
            return nil
        }
        return result
    }

    /// Writes one bucket configuration from its document (as captured, or built by the caller).
    ///
    /// Sends the integrity header S3 requires on these PUTs (`x-amz-checksum-crc32`, as botocore).
    /// - Parameter mfa: versioning only: `x-amz-mfa` ("serial code"), needed when the document
    ///   sets `MfaDelete`.
    @discardableResult
    public func putBucketSubresource(
        _ configuration: BucketSubresourceDocument, bucket: String, mfa: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        let request = putSubresourceRequest(configuration, bucket: bucket, mfa: mfa, expectedBucketOwner: expectedBucketOwner)
        return S3Receipt(try await send(request))
    }

    func putSubresourceRequest(
        _ configuration: BucketSubresourceDocument, bucket: String, mfa: String?, expectedBucketOwner: String?,
        operation: String? = nil
    ) -> AWSRequest {
        let subresource = configuration.subresource
        let body = Data(configuration.document.utf8)
        var headers = ownerHeaders(expectedBucketOwner)
        for (name, value) in S3Checksum.requiredHeaders(for: body) { headers.set(name, value) }
        headers.set("Content-Type", subresource == .policy ? "application/json" : "application/xml")
        if subresource == .lifecycle, let size = configuration.transitionDefaultMinimumObjectSize {
            headers.set("x-amz-transition-default-minimum-object-size", size)
        }
        if subresource == .versioning, let mfa { headers.set("x-amz-mfa", mfa) }
        return AWSRequest(
            operation: operation ?? "Put\(subresource.operationStem)", method: "PUT", path: "/", bucket: bucket,
            query: [(subresource.queryName, "")], headers: headers, body: body, resource: bucket)
    }

    /// Removes one bucket configuration: a DELETE where S3 has one, otherwise a PUT of the
    /// default document (see `BucketSubresource.removal`). Versioning and Object Lock cannot be
    /// removed; asking throws `S3RequestError` (`notDeletable`) without calling S3.
    @discardableResult
    public func deleteBucketSubresource(
        _ subresource: BucketSubresource, bucket: String, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        let operation = "Delete\(subresource.operationStem)"
        switch subresource.removal {
        case .delete:
            let request = AWSRequest(
                operation: operation, method: "DELETE", path: "/", bucket: bucket, query: [(subresource.queryName, "")],
                headers: ownerHeaders(expectedBucketOwner), resource: bucket)
            return S3Receipt(try await send(request))
        case .putDefault(let document):
            let request = putSubresourceRequest(
                BucketSubresourceDocument(subresource: subresource, document: document), bucket: bucket, mfa: nil,
                expectedBucketOwner: expectedBucketOwner, operation: "Put\(subresource.operationStem)")
            return S3Receipt(try await send(request))
        case .impossible:
            throw S3RequestError(
                code: .notDeletable,
                message: subresource == .versioning
                    ? "S3 cannot return a bucket to unversioned; put Status Suspended instead"
                    : "Object Lock cannot be disabled once enabled; put a configuration without a default rule instead",
                operation: operation, resource: bucket)
        }
    }
}
