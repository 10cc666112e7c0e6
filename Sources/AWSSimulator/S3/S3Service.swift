import Foundation

/// The simulated S3 REST-XML API: path-style (`/bucket/key`) and virtual-host
/// (`Host: bucket.s3.…`) addressing, errors as S3 renders them, and the behaviours a same-name
/// bucket move depends on (name hold, sniping, ExpectedBucketOwner, bucket-policy principals,
/// versioning, Object Lock, checksums, copy limits). See `S3State` for the world it acts on.
public struct S3Service: SimService {
    public init() {}

    public var signingName: String { "s3" }

    /// Bucket and key of a request, decoded.
    struct Address: Sendable, Equatable {
        var bucket: String?
        var key: String?
    }

    static let bucketSubresources: [String: S3BucketConfiguration] = Dictionary(
        uniqueKeysWithValues: S3BucketConfiguration.allCases.map { ($0.queryName, $0) })

    public func operation(of request: SimRequest) -> String? {
        let address = Self.address(of: request)
        let names = Set(request.queryItems.map(\.name))
        let method = request.method.uppercased()
        guard let bucket = address.bucket, !bucket.isEmpty else { return method == "GET" ? "ListBuckets" : nil }
        guard let key = address.key, !key.isEmpty else { return Self.bucketOperation(method, names, request) }
        return Self.objectOperation(method, names, request)
    }

    private static func bucketOperation(_ method: String, _ names: Set<String>, _ request: SimRequest) -> String? {
        let subresource = names.lazy.compactMap { bucketSubresources[$0] }.first
        if names.contains("inventory") { return inventoryOperation(method, hasId: names.contains("id")) }
        switch method {
        case "HEAD": return "HeadBucket"
        case "GET":
            if let subresource { return "Get\(subresource.operationStem)" }
            if names.contains("location") { return "GetBucketLocation" }
            if names.contains("versions") { return "ListObjectVersions" }
            if names.contains("uploads") { return "ListMultipartUploads" }
            if names.contains("policyStatus") || names.contains("acl") { return nil }
            return request.query("list-type") == "2" ? "ListObjectsV2" : "ListObjects"
        case "PUT":
            if let subresource { return "Put\(subresource.operationStem)" }
            if names.contains("acl") { return nil }
            return "CreateBucket"
        case "DELETE":
            if let subresource { return subresource.deleteOperation }
            return names.isEmpty || names == ["x-id"] ? "DeleteBucket" : nil
        case "POST":
            return names.contains("delete") ? "DeleteObjects" : nil
        default: return nil
        }
    }

    private static func objectOperation(_ method: String, _ names: Set<String>, _ request: SimRequest) -> String? {
        let copies = request.header("x-amz-copy-source") != nil
        switch method {
        case "HEAD": return "HeadObject"
        case "GET":
            if names.contains("attributes") { return "GetObjectAttributes" }
            if names.contains("tagging") { return "GetObjectTagging" }
            if names.contains("uploadId") { return "ListParts" }
            if names.contains("retention") { return "GetObjectRetention" }
            if names.contains("legal-hold") { return "GetObjectLegalHold" }
            if names.contains("acl") { return "GetObjectAcl" }
            if names.contains("torrent") { return nil }
            return "GetObject"
        case "PUT":
            if names.contains("uploadId") { return copies ? "UploadPartCopy" : "UploadPart" }
            if names.contains("tagging") { return "PutObjectTagging" }
            if names.contains("retention") { return "PutObjectRetention" }
            if names.contains("legal-hold") { return "PutObjectLegalHold" }
            if names.contains("acl") { return "PutObjectAcl" }
            return copies ? "CopyObject" : "PutObject"
        case "DELETE":
            if names.contains("uploadId") { return "AbortMultipartUpload" }
            if names.contains("tagging") { return "DeleteObjectTagging" }
            return "DeleteObject"
        case "POST":
            if names.contains("uploads") { return "CreateMultipartUpload" }
            if names.contains("uploadId") { return "CompleteMultipartUpload" }
            return nil
        default: return nil
        }
    }

    /// Reads bucket and key from the `Host` header (virtual-host style: `bucket.s3.amazonaws.com`,
    /// `bucket.s3.eu-west-1.amazonaws.com`, `bucket.s3.localhost`) or else from the path.
    static func address(of request: SimRequest) -> Address {
        let path = request.path.isEmpty ? "/" : request.path
        if let host = request.header("Host").map({ $0.split(separator: ":").first.map(String.init) ?? $0 }),
            let bucket = virtualHostBucket(host.lowercased())
        {
            let key = String(path.dropFirst())
            return Address(bucket: bucket, key: key.isEmpty ? nil : SimPercent.decode(key))
        }
        let trimmed = path.dropFirst()
        guard !trimmed.isEmpty else { return Address(bucket: nil, key: nil) }
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = SimPercent.decode(String(parts[0]))
        let key = parts.count > 1 ? SimPercent.decode(String(parts[1])) : nil
        return Address(bucket: bucket, key: key?.isEmpty == true ? nil : key)
    }

    private static func virtualHostBucket(_ host: String) -> String? {
        for marker in [".s3.", ".s3-"] {
            guard let range = host.range(of: marker) else { continue }
            let rest = host[range.upperBound...]
            guard
                rest.hasSuffix("amazonaws.com") || rest.hasSuffix("localhost") || rest.hasSuffix("localhost.localstack.cloud")
                    || rest == "localhost"
            else { continue }
            let bucket = String(host[..<range.lowerBound])
            return bucket.isEmpty ? nil : bucket
        }
        return nil
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let address = Self.address(of: request)
        let bucket = address.bucket ?? ""
        let key = address.key ?? ""
        context.resource = key.isEmpty ? (bucket.isEmpty ? nil : bucket) : "\(bucket)/\(key)"
        if !bucket.isEmpty { state.s3.settle(bucket, now: context.now) }
        var call = S3Call(request: request, bucket: bucket, key: key, context: context)
        call.kms = state.kms
        defer { context.mutated = call.mutated }
        switch operation {
        case "ListBuckets": return try listBuckets(&call, &state.s3)
        case "CreateBucket": return try createBucket(&call, &state.s3)
        case "DeleteBucket": return try deleteBucket(&call, &state.s3)
        case "HeadBucket": return try headBucket(&call, &state.s3)
        case "GetBucketLocation": return try getBucketLocation(&call, &state.s3)
        case "ListObjectsV2": return try listObjects(&call, &state.s3, v2: true)
        case "ListObjects": return try listObjects(&call, &state.s3, v2: false)
        case "ListObjectVersions": return try listObjectVersions(&call, &state.s3)
        case "ListMultipartUploads": return try listMultipartUploads(&call, &state.s3)
        case "DeleteObjects": return try deleteObjects(&call, &state.s3)
        case "PutObject": return try putObject(&call, &state.s3)
        case "GetObject": return try getObject(&call, &state.s3, head: false)
        case "HeadObject": return try getObject(&call, &state.s3, head: true)
        case "DeleteObject": return try deleteObject(&call, &state.s3)
        case "CopyObject": return try copyObject(&call, &state.s3)
        case "GetObjectAttributes": return try getObjectAttributes(&call, &state.s3)
        case "GetObjectTagging": return try getObjectTagging(&call, &state.s3)
        case "GetObjectAcl": return try getObjectAcl(&call, &state.s3)
        case "PutObjectAcl": return try putObjectAcl(&call, &state.s3)
        case "PutObjectTagging": return try putObjectTagging(&call, &state.s3)
        case "DeleteObjectTagging": return try deleteObjectTagging(&call, &state.s3)
        case "GetObjectRetention": return try getObjectRetention(&call, &state.s3)
        case "PutObjectRetention": return try putObjectRetention(&call, &state.s3)
        case "GetObjectLegalHold": return try getObjectLegalHold(&call, &state.s3)
        case "PutObjectLegalHold": return try putObjectLegalHold(&call, &state.s3)
        case "CreateMultipartUpload": return try createMultipartUpload(&call, &state.s3)
        case "UploadPart": return try uploadPart(&call, &state.s3, copy: false)
        case "UploadPartCopy": return try uploadPart(&call, &state.s3, copy: true)
        case "CompleteMultipartUpload": return try completeMultipartUpload(&call, &state.s3)
        case "AbortMultipartUpload": return try abortMultipartUpload(&call, &state.s3)
        case "ListParts": return try listParts(&call, &state.s3)
        default:
            if Self.inventoryOperations.contains(operation) { return try bucketInventory(operation, &call, &state.s3) }
            if let (configuration, verb) = Self.configurationOperation(operation) {
                return try bucketConfiguration(configuration, verb, &call, &state.s3)
            }
            throw SimError("NotImplemented", "\(operation) is not implemented by the simulator", status: 501)
        }
    }

    /// `GetBucketCors` → (.cors, "Get"); `DeleteBucketLifecycle` → (.lifecycle, "Delete").
    static func configurationOperation(_ operation: String) -> (S3BucketConfiguration, String)? {
        for configuration in S3BucketConfiguration.allCases {
            if operation == "Get\(configuration.operationStem)" { return (configuration, "Get") }
            if operation == "Put\(configuration.operationStem)" { return (configuration, "Put") }
            if operation == configuration.deleteOperation { return (configuration, "Delete") }
        }
        return nil
    }

    /// S3's `<Error>` document, with `<BucketName>` or `<Key>` where AWS adds them, and the request
    /// ID headers. (A HEAD answer's body is dropped by the transport, as HTTP requires.)
    public func render(_ error: SimError, requestId: String) -> SimResponse {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(S3XMLBuilder.escape(error.code))</Code>"
        xml += "<Message>\(S3XMLBuilder.escape(error.message))</Message>"
        if let resource = error.resource {
            if let slash = resource.firstIndex(of: "/"), ["NoSuchKey", "NoSuchVersion", "NoSuchUpload"].contains(error.code) {
                xml += "<Key>\(S3XMLBuilder.escape(String(resource[resource.index(after: slash)...])))</Key>"
            } else if !resource.contains("/") {
                xml += "<BucketName>\(S3XMLBuilder.escape(resource))</BucketName>"
            }
        }
        xml += "<RequestId>\(requestId)</RequestId><HostId>\(Self.hostId(requestId))</HostId></Error>"
        var headers = Self.standardHeaders(requestId)
        headers.append(("Content-Type", "application/xml"))
        return SimResponse(status: error.status, headers: headers, body: Data(xml.utf8))
    }

    /// `x-amz-request-id` and `x-amz-id-2` (S3's extended request ID), on every answer.
    static func standardHeaders(_ requestId: String) -> [(name: String, value: String)] {
        [("x-amz-request-id", requestId), ("x-amz-id-2", hostId(requestId)), ("Server", "AmazonS3")]
    }

    /// A stable base64 stand-in for S3's host ID, derived from the request ID.
    static func hostId(_ requestId: String) -> String {
        Data(S3Digest.sha256(Data(requestId.utf8))).base64EncodedString()
    }

    /// The canonical user ID S3 shows for an account (64 hex digits, stable per account).
    static func canonicalId(_ account: String) -> String {
        S3Digest.hex(S3Digest.sha256(Data("cutover-simulator-canonical-user:\(account)".utf8)))
    }
}

/// One S3 call being served: the request, its bucket and key, and what the handler records.
struct S3Call {
    let request: SimRequest
    let bucket: String
    let key: String
    let context: SimCallContext
    var mutated = false
    /// The simulated KMS as of the call, for SSE-KMS permission checks (S3Service+KMS.swift).
    var kms = KMSState()

    var principal: SimPrincipal { context.principal }
    var account: String { context.principal.account }
    var now: Date { context.now }
    var requestId: String { context.requestId }
    var objectResource: String { "\(bucket)/\(key)" }

    func header(_ name: String) -> String? { request.header(name) }
    func query(_ name: String) -> String? { request.query(name) }

    /// A response with S3's standard headers.
    func respond(_ status: Int = 200, headers: [(name: String, value: String)] = [], body: Data = Data()) -> SimResponse {
        SimResponse(status: status, headers: S3Service.standardHeaders(requestId) + headers, body: body)
    }

    func xml(_ document: String, status: Int = 200, headers: [(name: String, value: String)] = []) -> SimResponse {
        respond(status, headers: [("Content-Type", "application/xml")] + headers, body: Data(document.utf8))
    }
}
