import Foundation
import Testing

@testable import AWSSigV4

/// No rendering of a signing value may contain the secret access key (DESIGN invariant 7).
@Suite struct SecretRedactionTests {
    static let secret = "SECRETwJalrXUtnFEMI/K7MDENGbPxRfiCYEXAMPLE"

    func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped, "\(value)"]
    }

    @Test func secretNeverAppearsInDescriptions() throws {
        let credentials = AWSCredentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: "tok", expiration: Date())
        let cache = SigningKeyCache()
        let signer = SigV4Signer(service: "s3", region: "us-east-1", options: .s3, keyCache: cache)
        let request = SigV4Request(
            method: "GET", path: "/b/k", query: [("a", "b")], headers: [("Host", "s3.amazonaws.com")],
            payload: .bytes(Data("body".utf8)))
        let signed = signer.sign(request, credentials: credentials, date: TestFixtures.suiteDate)
        let presigned = try signer.presign(request, credentials: credentials, date: TestFixtures.suiteDate, expires: 60)
        let key = signer.signingKey(credentials: credentials, dateStamp: "20150830")
        let error = SigV4Error.invalidExpiry(0)

        let values: [Any] = [
            credentials, cache, signer, signed, presigned, key, error,
            SigningKeyCache.Entry(
                secret: Self.secret, dateStamp: "20150830", region: "us-east-1", service: "s3"),
        ]
        for value in values {
            for text in renderings(value) {
                #expect(!text.contains(Self.secret), "\(type(of: value)) leaks the secret: \(text)")
            }
        }
        #expect(!String(describing: key).contains(key.hexForTesting))
        #expect(!signed.canonicalRequest.contains(Self.secret))
        #expect(!signed.stringToSign.contains(Self.secret))
    }
}
