import AWSSigV4
import Foundation

extension S3Client {
    /// Creates `bucket` in `region` (default: this client's region).
    ///
    /// The LocationConstraint follows S3's rule: no body at all for us-east-1 (sending
    /// `us-east-1` explicitly is `InvalidLocationConstraint`), otherwise
    /// `<CreateBucketConfiguration><LocationConstraint>region`. Outcomes a same-name move must
    /// tell apart arrive as `AWSError` codes: `BucketAlreadyExists` (someone else holds the name —
    /// never retry), `BucketAlreadyOwnedByYou` (every region but us-east-1, where re-creating your
    /// own bucket answers 200), `OperationAborted` (the name is still being released — retry).
    ///
    /// - Parameters:
    ///   - objectLockEnabled: `x-amz-bucket-object-lock-enabled`; also turns versioning on.
    ///   - objectOwnership: `x-amz-object-ownership` (`BucketOwnerEnforced`, `BucketOwnerPreferred`,
    ///     `ObjectWriter`).
    @discardableResult
    public func createBucket(
        _ bucket: String, region: String? = nil, objectLockEnabled: Bool = false, objectOwnership: String? = nil
    ) async throws -> S3Receipt {
        let request = Self.createBucketRequest(
            bucket, region: region ?? client.region, objectLockEnabled: objectLockEnabled, objectOwnership: objectOwnership)
        return S3Receipt(try await send(request))
    }

    static func createBucketRequest(_ bucket: String, region: String, objectLockEnabled: Bool, objectOwnership: String?) -> AWSRequest {
        var headers: HTTPHeaders = [:]
        if objectLockEnabled { headers.set("x-amz-bucket-object-lock-enabled", "true") }
        if let objectOwnership { headers.set("x-amz-object-ownership", objectOwnership) }
        var body = Data()
        if region != "us-east-1" {
            var xml = XMLWriter()
            xml.start("CreateBucketConfiguration", namespace: namespace)
            xml.element("LocationConstraint", region)
            xml.end()
            body = xml.data
            headers.set("Content-Type", "application/xml")
        }
        return AWSRequest(
            operation: "CreateBucket", method: "PUT", path: "/", bucket: bucket, headers: headers, body: body, resource: bucket)
    }

    /// Deletes an empty bucket. A bucket that still holds objects, versions or delete markers
    /// answers `BucketNotEmpty` (409).
    @discardableResult
    public func deleteBucket(_ bucket: String, expectedBucketOwner: String? = nil) async throws -> S3Receipt {
        let request = AWSRequest(
            operation: "DeleteBucket", method: "DELETE", path: "/", bucket: bucket,
            headers: ownerHeaders(expectedBucketOwner), resource: bucket, irreversible: true)
        return S3Receipt(try await send(request))
    }

    /// HeadBucket: the bucket's region when it exists and is accessible, `nil` when S3 answers 404.
    ///
    /// A 404 is an answer, not a failure, so it is `nil` rather than an error. It does **not**
    /// prove the name can be claimed: during a name release CreateBucket can still fail with
    /// `OperationAborted` (aws/aws-cli#2593). 403 (someone else's bucket, or no permission) and 301
    /// (another region) stay errors: `AWSError` with code `Forbidden` / `PermanentRedirect`, since a
    /// HEAD answer has no body to name a code.
    public func headBucket(_ bucket: String, expectedBucketOwner: String? = nil) async throws -> S3BucketHead? {
        let request = AWSRequest(
            operation: "HeadBucket", method: "HEAD", path: "/", bucket: bucket, headers: ownerHeaders(expectedBucketOwner),
            resource: bucket)
        do {
            let response = try await send(request)
            return S3BucketHead(
                region: response.headers["x-amz-bucket-region"],
                isAccessPointAlias: response.headers["x-amz-access-point-alias"]?.lowercased() == "true")
        } catch let error as AWSError where error.origin == .service && error.httpStatus == 404 {
            return nil
        }
    }

    /// GetBucketLocation, normalised to a region name: an empty constraint is `us-east-1`, the
    /// legacy `EU` is `eu-west-1`.
    public func getBucketLocation(_ bucket: String, expectedBucketOwner: String? = nil) async throws -> String {
        let request = AWSRequest(
            operation: "GetBucketLocation", path: "/", bucket: bucket, query: [("location", "")],
            headers: ownerHeaders(expectedBucketOwner), resource: bucket)
        return try await sendXML(request, decode: Self.decodeBucketLocation)
    }

    static func decodeBucketLocation(_ root: XMLNode) throws -> String {
        try S3Decoding.expectRoot(root, "LocationConstraint")
        switch root.trimmedText {
        case "": return "us-east-1"
        case "EU": return "eu-west-1"
        case let region: return region
        }
    }
}
