import AWSSigV4
import Foundation
import Testing

@Suite struct S3SigningRulesTests {
    let s3 = SigV4Signer(service: "s3", region: "us-east-1", options: .s3, keyCache: SigningKeyCache())

    @Test func s3KeyWithEmptyAndDotSegmentsIsSignedAsSent() {
        let request = SigV4Request(
            method: "GET", path: "/bucket/a//b/./c", query: [], headers: [("Host", "s3.amazonaws.com")],
            payload: .bytes(Data()))
        let signed = s3.sign(request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate)
        #expect(TestFixtures.canonicalURI(of: signed.canonicalRequest) == "/bucket/a//b/./c")

        let standard = SigV4Signer(service: "sts", region: "us-east-1", options: .standard, keyCache: SigningKeyCache())
        #expect(standard.canonicalURI(forPath: "/bucket/a//b/./c") == "/bucket/a/b/c")
    }

    @Test func s3PathIsNotEncodedASecondTime() {
        #expect(s3.canonicalURI(forPath: "/bucket/my%20key%2Bplus") == "/bucket/my%20key%2Bplus")
        let standard = SigV4Signer(service: "sts", region: "us-east-1")
        #expect(standard.canonicalURI(forPath: "/my%20key") == "/my%2520key")
    }

    @Test func s3DotDotSegmentsAreNotResolved() {
        #expect(s3.canonicalURI(forPath: "/bucket/../other/.") == "/bucket/../other/.")
    }

    @Test func s3AlwaysSignsContentSHA256() {
        let body = Data("hello".utf8)
        let request = SigV4Request(
            method: "PUT", path: "/bucket/key", query: [], headers: [("Host", "s3.amazonaws.com")],
            payload: .bytes(body))
        let signed = s3.sign(request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate)
        let hash = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        #expect(TestFixtures.header("x-amz-content-sha256", in: signed.headersToAdd) == hash)
        #expect(TestFixtures.signedHeaders(of: signed.canonicalRequest) == "host;x-amz-content-sha256;x-amz-date")
        #expect(signed.canonicalRequest.hasSuffix("\n" + hash))
    }

    @Test func unsignedPayloadIsSignedAsTheLiteral() {
        let request = SigV4Request(
            method: "PUT", path: "/bucket/key", query: [], headers: [("Host", "s3.amazonaws.com")], payload: .unsigned)
        let signed = s3.sign(request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate)
        #expect(TestFixtures.header("x-amz-content-sha256", in: signed.headersToAdd) == "UNSIGNED-PAYLOAD")
        #expect(signed.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
    }

    /// AWS S3 API reference, "Signature calculation: GET object" example.
    @Test func documentedGetObjectExample() {
        let request = SigV4Request(
            method: "GET", path: "/test.txt", query: [],
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")], payload: .bytes(Data()))
        let signed = s3.sign(request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            TestFixtures.header("Authorization", in: signed.headersToAdd)
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// AWS S3 API reference, "Query string authentication" example (presigned GET, 24 h).
    @Test func documentedPresignedGetExample() throws {
        let request = SigV4Request(
            method: "GET", path: "/test.txt", query: [], headers: [("Host", "examplebucket.s3.amazonaws.com")],
            payload: .bytes(Data("ignored for S3 presigning".utf8)))
        let presigned = try s3.presign(
            request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate, expires: 86_400)
        #expect(presigned.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(presigned.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        #expect(
            presigned.queryToAdd.map(\.name) == [
                "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
                "X-Amz-Signature",
            ])
    }

    @Test func presignedS3RequestCarriesNoContentHeader() throws {
        let request = SigV4Request(
            method: "PUT", path: "/bucket/key", query: [], headers: [("Host", "s3.amazonaws.com")],
            payload: .bytes(Data()))
        let presigned = try s3.presign(
            request, credentials: TestFixtures.s3ExampleCredentials, date: TestFixtures.s3ExampleDate, expires: 60)
        #expect(!presigned.canonicalRequest.contains("x-amz-content-sha256"))
        #expect(TestFixtures.header("X-Amz-SignedHeaders", in: presigned.queryToAdd) == "host")
    }
}
