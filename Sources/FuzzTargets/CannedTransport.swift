import AWSClient
import Foundation

/// An `HTTPTransport` that answers every request with one canned response: how the AWS fuzz
/// targets hand arbitrary bytes to the real clients, which sign, send and decode as in production.
struct CannedTransport: HTTPTransport {
    var response: HTTPResponse

    func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse { response }

    /// A client for `service` whose every call gets `response`, with retries off so that an error
    /// status is decoded once and not slept on.
    static func client(_ service: AWSService, _ response: HTTPResponse) -> AWSClient {
        AWSClient(
            service: service, region: "us-east-1",
            credentials: StaticCredentialProvider(
                AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")),
            transport: CannedTransport(response: response),
            endpoints: EndpointResolver(overrideURL: "http://127.0.0.1:1"), retry: .disabled, account: "111111111111",
            now: { Date(timeIntervalSince1970: 1_440_938_160) }, sleep: { _ in })
    }

    /// Every call must end in a value or an `AWSError`: anything else escaping a client is a finding.
    static func expectAWSOutcome<T>(_ call: () async throws -> T) async {
        do {
            _ = try await call()
        } catch is AWSError {
        } catch {
            FuzzCheck.fail("a client call threw \(type(of: error)), not AWSError: \(error)")
        }
    }
}
