import AWSClient
import AWSServices
import Foundation

/// Arbitrary bytes as the body of every JSON response the KMS client decodes (200 answers), and
/// as a JSON-protocol error document. Invariant: every call ends in a value or an `AWSError`.
enum AWSJSONFuzzTarget {
    static func run(_ data: Data) async {
        let ok = HTTPResponse(
            status: 200, headers: ["Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "fuzz"], body: data)
        let kms = KMSClient(client: CannedTransport.client(.kms, ok))
        await CannedTransport.expectAWSOutcome { try await kms.describeKey(keyId: "alias/k") }
        await CannedTransport.expectAWSOutcome { try await kms.getKeyPolicy(keyId: "k") }
        await CannedTransport.expectAWSOutcome { try await kms.listAliases() }
        await CannedTransport.expectAWSOutcome {
            try await kms.createGrant(
                CreateGrantRequest(keyId: "k", granteePrincipal: "arn:aws:iam::111111111111:root", operations: [.decrypt]))
        }

        let failing = HTTPResponse(status: 400, headers: ["Content-Type": "application/x-amz-json-1.1"], body: data)
        let decoded = AWSErrorDecoder.decode(failing, wireProtocol: AWSService.kms.wireProtocol)
        FuzzCheck.require(!decoded.code.isEmpty, "an error response decoded to an empty code")
        await CannedTransport.expectAWSOutcome {
            try await KMSClient(client: CannedTransport.client(.kms, failing)).describeKey(keyId: "k")
        }
    }
}
