import AWSSigV4
import Foundation
import Testing

@Suite struct SessionTokenTests {
    let temporary = AWSCredentials(
        accessKeyId: "ASIAEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "token/with+chars==")
    let request = SigV4Request(
        method: "GET", path: "/", query: [], headers: [("Host", "sts.amazonaws.com")], payload: .bytes(Data()))

    @Test func tokenIsAddedAndSignedByDefault() {
        let signer = SigV4Signer(service: "sts", region: "us-east-1", keyCache: SigningKeyCache())
        let signed = signer.sign(request, credentials: temporary, date: TestFixtures.suiteDate)
        #expect(signed.headersToAdd.map(\.name) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(TestFixtures.header("X-Amz-Security-Token", in: signed.headersToAdd) == "token/with+chars==")
        #expect(TestFixtures.signedHeaders(of: signed.canonicalRequest) == "host;x-amz-date;x-amz-security-token")
        #expect(signed.canonicalRequest.contains("\nx-amz-security-token:token/with+chars==\n"))
    }

    @Test func unsignedTokenIsStillSentButNotSigned() {
        let options = SigV4Options(signSessionToken: false)
        let signer = SigV4Signer(service: "sts", region: "us-east-1", options: options, keyCache: SigningKeyCache())
        let signed = signer.sign(request, credentials: temporary, date: TestFixtures.suiteDate)
        #expect(TestFixtures.header("X-Amz-Security-Token", in: signed.headersToAdd) == "token/with+chars==")
        #expect(TestFixtures.signedHeaders(of: signed.canonicalRequest) == "host;x-amz-date")
        #expect(!signed.canonicalRequest.contains("token/with"))
    }

    @Test func presignedTokenGoesInQueryBeforeSignature() throws {
        let signer = SigV4Signer(service: "s3", region: "us-east-1", options: .s3, keyCache: SigningKeyCache())
        let presigned = try signer.presign(request, credentials: temporary, date: TestFixtures.suiteDate, expires: 60)
        #expect(presigned.queryToAdd.map(\.name).suffix(2) == ["X-Amz-Security-Token", "X-Amz-Signature"])
        #expect(presigned.canonicalRequest.contains("X-Amz-Security-Token=token%2Fwith%2Bchars%3D%3D"))
    }

    @Test func unsignedPresignedTokenIsLeftOutOfCanonicalQuery() throws {
        var options = SigV4Options.s3
        options.signSessionToken = false
        let signer = SigV4Signer(service: "s3", region: "us-east-1", options: options, keyCache: SigningKeyCache())
        let presigned = try signer.presign(request, credentials: temporary, date: TestFixtures.suiteDate, expires: 60)
        #expect(presigned.queryToAdd.contains { $0.name == "X-Amz-Security-Token" })
        #expect(!presigned.canonicalRequest.contains("X-Amz-Security-Token"))
    }

    @Test func emptyTokenMeansLongTermCredentials() {
        let signer = SigV4Signer(service: "sts", region: "us-east-1", keyCache: SigningKeyCache())
        var credentials = temporary
        credentials.sessionToken = ""
        let signed = signer.sign(request, credentials: credentials, date: TestFixtures.suiteDate)
        #expect(signed.headersToAdd.map(\.name) == ["X-Amz-Date", "Authorization"])
    }

    @Test func staleSignerHeadersOnTheRequestAreReplaced() {
        let signer = SigV4Signer(service: "sts", region: "us-east-1", keyCache: SigningKeyCache())
        let fresh = signer.sign(request, credentials: temporary, date: TestFixtures.suiteDate)
        var retried = request
        retried.headers += [
            ("Authorization", "AWS4-HMAC-SHA256 old"), ("X-Amz-Date", "20000101T000000Z"),
            ("x-amz-security-token", "old-token"),
        ]
        let again = signer.sign(retried, credentials: temporary, date: TestFixtures.suiteDate)
        #expect(again.canonicalRequest == fresh.canonicalRequest)
        #expect(again.signature == fresh.signature)
    }
}
