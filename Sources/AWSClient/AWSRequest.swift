import Foundation

/// One AWS API call before addressing and signing: what the service layer builds.
public struct AWSRequest: Sendable {
    /// The API operation name (`CreateBucket`, `DescribeDBInstances`), for errors, metrics, logs.
    public var operation: String
    public var method: String
    /// The path below the endpoint (and below the bucket, for S3), already percent-encoded for the
    /// wire, starting with `/`. For S3 object keys use `S3Path.encodeKey`.
    public var path: String
    /// S3 only: the bucket this request addresses. The endpoint resolver decides between
    /// virtual-hosted (`bucket.s3.region…`) and path-style (`endpoint/bucket/…`) addressing.
    public var bucket: String?
    /// Query parameters, *decoded*; the client encodes them (RFC 3986) for the URL and signature.
    public var query: [(name: String, value: String)]
    public var headers: HTTPHeaders
    public var body: Data
    /// What the call acts on (bucket, bucket/key, DB instance ID, snapshot ARN), for error messages.
    public var resource: String?
    /// S3 CopyObject, UploadPartCopy and CompleteMultipartUpload can answer 200 with an `<Error>`
    /// body; when set, the client treats such a body as the error it is.
    public var errorMayHideIn200: Bool
    /// Send no payload hash (`UNSIGNED-PAYLOAD`), S3 only.
    public var unsignedPayload: Bool
    /// An irreversible call: always on a new connection, so the transport can never resend it
    /// on its own (see `HTTPRequest.freshConnection`), and never resent by the client after a
    /// failure that leaves its fate unknown (reset, cut-off answer, timeout): the caller looks
    /// at what happened before it acts again. Error answers and refused connections still retry.
    public var irreversible: Bool
    /// Prepended to the host on AWS's own endpoints (`123456789012.` for S3 Control, the model's
    /// `hostPrefix`); not on a configured endpoint (moto, the simulator), where the account
    /// travels in a header alone.
    public var hostPrefix: String? = nil
    /// One of many like it sent back to back: the transport may carry it on its cheaper lane
    /// (`HTTPRequest.bulk`).
    public var bulk = false

    public init(
        operation: String, method: String = "GET", path: String = "/", bucket: String? = nil,
        query: [(name: String, value: String)] = [], headers: HTTPHeaders = [:], body: Data = Data(),
        resource: String? = nil, errorMayHideIn200: Bool = false, unsignedPayload: Bool = false, irreversible: Bool = false
    ) {
        self.operation = operation
        self.method = method
        self.path = path
        self.bucket = bucket
        self.query = query
        self.headers = headers
        self.body = body
        self.resource = resource
        self.errorMayHideIn200 = errorMayHideIn200
        self.unsignedPayload = unsignedPayload
        self.irreversible = irreversible
    }
}

/// A successful AWS response, with the request IDs that CloudTrail and AWS Support ask for.
public struct AWSResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// `x-amz-request-id` or `x-amzn-RequestId` (or the body's RequestId for Query protocols).
    public var requestId: String?
    /// S3's `x-amz-id-2`.
    public var extendedRequestId: String?
    /// How many attempts it took (1 = no retry).
    public var attempts: Int
    /// How many of the failed attempts before it were throttled (`SlowDown`, 503, …): the signal an
    /// adaptive sender backs off on even when the client's retries hid the throttling.
    public var throttledAttempts: Int
    /// The body's XML tree when the client already parsed it (to find an error S3 hid in a 200).
    public var parsedBody: XMLNode?

    public init(
        status: Int, headers: HTTPHeaders, body: Data, requestId: String?, extendedRequestId: String?, attempts: Int,
        throttledAttempts: Int = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.requestId = requestId
        self.extendedRequestId = extendedRequestId
        self.attempts = attempts
        self.throttledAttempts = throttledAttempts
    }
}
