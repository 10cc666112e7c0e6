import Foundation

/// Object ACLs (GetObjectAcl, PutObjectAcl), typed. Buckets with ACLs disabled
/// (BucketOwnerEnforced) still answer GetObjectAcl; PutObjectAcl there fails with
/// `AccessControlListNotSupported` unless the ACL is the bucket owner's full control.
extension S3Client {
    /// The object's owner and grants (`s3:GetObjectAcl`, or `s3:GetObjectVersionAcl` with a version).
    public func getObjectAcl(
        bucket: String, key: String, versionId: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3AccessControlPolicy {
        let request = AWSRequest(
            operation: "GetObjectAcl", path: Self.objectPath(key), bucket: bucket, query: [("acl", "")] + versionQuery(versionId),
            headers: ownerHeaders(expectedBucketOwner), resource: "\(bucket)/\(key)")
        return try await sendXML(request, decode: S3AccessControlPolicy.init(xml:))
    }

    /// Replaces the object's ACL with `policy` (an `AccessControlPolicy` body).
    @discardableResult
    public func putObjectAcl(
        bucket: String, key: String, policy: S3AccessControlPolicy, versionId: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        let body = policy.document.data
        var headers = ownerHeaders(expectedBucketOwner)
        for (name, value) in S3Checksum.requiredHeaders(for: body) { headers.set(name, value) }
        headers.set("Content-Type", "application/xml")
        let request = AWSRequest(
            operation: "PutObjectAcl", method: "PUT", path: Self.objectPath(key), bucket: bucket,
            query: [("acl", "")] + versionQuery(versionId), headers: headers, body: body, resource: "\(bucket)/\(key)")
        return S3Receipt(try await send(request))
    }

    /// Replaces the object's ACL with a canned one (`private`, `public-read`, …).
    @discardableResult
    public func putObjectAcl(
        bucket: String, key: String, canned: String, versionId: String? = nil, expectedBucketOwner: String? = nil
    ) async throws -> S3Receipt {
        var headers = ownerHeaders(expectedBucketOwner)
        headers.set("x-amz-acl", canned)
        let request = AWSRequest(
            operation: "PutObjectAcl", method: "PUT", path: Self.objectPath(key), bucket: bucket,
            query: [("acl", "")] + versionQuery(versionId), headers: headers, resource: "\(bucket)/\(key)")
        return S3Receipt(try await send(request))
    }
}

extension S3Client {
    /// The canonical user ID of the calling account: the `<Owner><ID>` of ListBuckets
    /// (`s3:ListAllMyBuckets`), asked for one bucket at most. Object ACL grants name accounts by
    /// this ID, so a copy into another account rewrites it.
    public func callerCanonicalUserId() async throws -> String {
        let request = AWSRequest(operation: "ListBuckets", path: "/", query: [("max-buckets", "1")], headers: [:], resource: nil)
        return try await sendXML(request) { root in
            try S3Decoding.expectRoot(root, "ListAllMyBucketsResult")
            guard let id = root.child("Owner")?.string("ID"), !id.isEmpty else {
                throw XMLDecodeError(message: "element <Owner><ID> missing in <ListAllMyBucketsResult>")
            }
            return id
        }
    }
}
