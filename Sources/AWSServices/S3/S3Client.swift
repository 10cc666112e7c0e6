import AWSSigV4
import Foundation

/// Typed S3 operations for one account and region, over an `AWSClient` for `.s3`.
///
/// Every call throws `AWSError`: AWS's own code when S3 refused (`NoSuchBucket`,
/// `BucketAlreadyExists`, …) and `MalformedResponse` when S3 answered 2xx with a body that is not
/// the document the operation promises — never a silent success. Answers that are "nothing there"
/// rather than failures (a missing bucket on HeadBucket, an unconfigured sub-resource) are `nil`.
/// Requests that cannot be sent as asked (more than 1,000 keys in one DeleteObjects, …) throw
/// `S3RequestError` before anything goes on the wire.
public struct S3Client: Sendable {
    public let client: AWSClient
    /// Sent as `x-amz-expected-bucket-owner` on every call that accepts it, unless the call names
    /// its own. S3 then answers 403 instead of reading or writing a bucket that another account
    /// took over — the guard against a name squatter during a same-name move.
    public let expectedBucketOwner: String?

    public init(client: AWSClient, expectedBucketOwner: String? = nil) {
        self.client = client
        self.expectedBucketOwner = expectedBucketOwner
    }

    /// The same client with another default expected bucket owner.
    public func expecting(owner: String?) -> S3Client {
        S3Client(client: client, expectedBucketOwner: owner)
    }

    // MARK: - Plumbing shared by the operation files

    /// The S3 XML namespace, written on every request document.
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// The wire path of an object key below the bucket (`/` kept, everything else encoded).
    static func objectPath(_ key: String) -> String {
        "/" + SigV4URIEncoding.encode(key, encodeSlash: false)
    }

    /// `x-amz-expected-bucket-owner` when one applies.
    func ownerHeaders(_ owner: String?) -> HTTPHeaders {
        var headers: HTTPHeaders = [:]
        if let owner = owner ?? expectedBucketOwner { headers.set("x-amz-expected-bucket-owner", owner) }
        return headers
    }

    /// Sends the request; AWSClient turns every non-2xx answer into `AWSError`.
    @discardableResult
    func send(_ request: AWSRequest) async throws -> AWSResponse {
        try await client.send(request)
    }

    /// Sends the request and decodes its XML body; any decoding failure is `MalformedResponse`.
    func sendXML<T>(_ request: AWSRequest, decode: (XMLNode) throws -> T) async throws -> T {
        let response = try await client.send(request)
        return try decodeXML(request, response, decode: decode)
    }

    /// Decodes a 2xx XML body, turning any failure into the client's `MalformedResponse` error.
    func decodeXML<T>(_ request: AWSRequest, _ response: AWSResponse, decode: (XMLNode) throws -> T) throws -> T {
        do {
            if let parsed = response.parsedBody { return try decode(parsed) }
            guard !response.body.isEmpty else { throw XMLDecodeError(message: "the body is empty") }
            return try decode(try XMLNode.parse(response.body))
        } catch let error as AWSError {
            throw error
        } catch {
            throw client.malformed(request, response, reason: "\(error)")
        }
    }

    /// A header that must be present and valid on a 2xx answer, or `MalformedResponse`.
    func requireHeader<T>(_ request: AWSRequest, _ response: AWSResponse, _ name: String, _ parse: (String) -> T?) throws -> T {
        guard let raw = response.headers[name], let value = parse(raw) else {
            throw client.malformed(request, response, reason: "header \(name) is missing or invalid")
        }
        return value
    }
}
