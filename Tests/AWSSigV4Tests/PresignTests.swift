import AWSSigV4
import Foundation
import Testing

@Suite struct PresignTests {
    let signer = SigV4Signer(service: "s3", region: "us-east-1", options: .s3, keyCache: SigningKeyCache())
    let request = SigV4Request(
        method: "GET", path: "/bucket/key", query: [("versionId", "v 1")], headers: [("Host", "s3.amazonaws.com")],
        payload: .unsigned)

    @Test(arguments: [1, 3600, 604_800])
    func expiryWithinSevenDaysIsAccepted(_ seconds: Int) throws {
        let presigned = try signer.presign(
            request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate, expires: seconds)
        #expect(presigned.queryToAdd.first { $0.name == "X-Amz-Expires" }?.value == String(seconds))
    }

    @Test(arguments: [604_801, 0, -1, Int.max, Int.min])
    func expiryOutsideLimitsThrows(_ seconds: Int) {
        #expect {
            _ = try signer.presign(
                request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate,
                expires: seconds)
        } throws: { error in
            (error as? SigV4Error)?.code == .invalidExpiry && "\(error)".contains("604800")
        }
    }

    @Test func requestQueryIsSignedAlongsideAuthParameters() throws {
        let presigned = try signer.presign(
            request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate, expires: 60)
        let queryLine = presigned.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[2]
        #expect(queryLine.hasPrefix("X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
        #expect(queryLine.hasSuffix("&versionId=v%201"))
        #expect(!queryLine.contains("X-Amz-Signature"))
    }

    @Test func stalePresignParametersAreReplaced() throws {
        var stale = request
        stale.query += [("X-Amz-Signature", "old"), ("X-Amz-Date", "20000101T000000Z")]
        let fresh = try signer.presign(
            request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate, expires: 60)
        let again = try signer.presign(
            stale, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate, expires: 60)
        #expect(again.canonicalRequest == fresh.canonicalRequest)
        #expect(again.signature == fresh.signature)
    }

    @Test func nonS3PresignHashesThePayload() throws {
        let sts = SigV4Signer(service: "sts", region: "us-east-1", keyCache: SigningKeyCache())
        let request = SigV4Request(
            method: "GET", path: "/", query: [("Action", "GetCallerIdentity")],
            headers: [("Host", "sts.amazonaws.com")],
            payload: .bytes(Data()))
        let presigned = try sts.presign(
            request, credentials: TestFixtures.suiteCredentials, date: TestFixtures.suiteDate, expires: 900)
        #expect(
            presigned.canonicalRequest.hasSuffix("\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
    }
}
