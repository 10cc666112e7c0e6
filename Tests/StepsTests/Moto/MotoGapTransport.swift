import AWSClient
import Foundation

/// Real HTTP to moto, except for the one request moto does not implement that a bucket move makes:
/// GetBucketRequestPayment, whose GET moto answers with a `ListBucketResult` (MOTO-NOTES §3,
/// docs/MOTO-FINDINGS.md; our client rightly rejects that as malformed). This transport answers
/// it with S3's documented default for a bucket that is not Requester Pays — what AWS returns for
/// every bucket the test creates — and forwards every other request, signature and all, to moto.
struct MotoGapTransport: HTTPTransport {
    let wrapped: any HTTPTransport

    init(_ wrapped: any HTTPTransport = CurlTransport.shared) { self.wrapped = wrapped }

    static let defaultRequestPayment = Data(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <RequestPaymentConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Payer>BucketOwner</Payer></RequestPaymentConfiguration>
        """.utf8)

    func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        guard request.method == "GET", let query = URLComponents(string: request.url)?.queryItems,
            query.contains(where: { $0.name == "requestPayment" })
        else { return try await wrapped.send(request, timeout: timeout) }
        return HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "application/xml"), ("x-amz-request-id", "moto-gap-request-payment")]),
            body: Self.defaultRequestPayment)
    }
}
