import Foundation
import Testing

@testable import AWSSigV4

/// Each signing stage on its own, against the suite's get-vanilla values and AWS's examples.
@Suite struct SigningStageTests {
    let signer = SigV4Signer(service: "service", region: "us-east-1", keyCache: SigningKeyCache())

    @Test func canonicalRequestOfGetVanilla() {
        let request = SigV4Request(
            method: "GET", path: "/", query: [],
            headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")], payload: .bytes(Data()))
        let expected =
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        #expect(signer.canonicalRequest(request, payloadHash: SigV4Payload.bytes(Data()).canonicalHash) == expected)
    }

    @Test func stringToSignSigningKeyAndSignatureOfGetVanilla() {
        let canonical =
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let stringToSign = SigV4Signer.stringToSign(
            canonicalRequest: canonical, amzDate: "20150830T123600Z",
            credentialScope: signer.credentialScope(dateStamp: "20150830"))
        #expect(
            stringToSign
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63")
        let key = signer.signingKey(credentials: TestFixtures.suiteCredentials, dateStamp: "20150830")
        #expect(
            SigV4Signer.signature(signingKey: key, stringToSign: stringToSign)
                == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func signingKeyOfDocumentedExample() {
        // AWS General Reference: secret wJalr…KEY, 20120215, us-east-1, iam.
        let key = SigV4SigningKey(
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20120215", region: "us-east-1",
            service: "iam")
        #expect(key.hexForTesting == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func canonicalQuerySortsByEncodedNameThenValue() {
        let query = [("b", "2"), ("a", "z"), ("a", "y"), ("A", "1"), ("ሴ", "x"), ("", ""), ("a b", "c/d")]
        #expect(
            SigV4Signer.canonicalQueryString(query)
                == "=&%E1%88%B4=x&A=1&a=y&a=z&a%20b=c%2Fd&b=2")
    }

    @Test func canonicalHeadersTrimJoinAndSkipUnsignedNames() {
        let headers = [
            ("My-Header", "  a   b\t c  "), ("host", "h"), ("my-header", "second"), ("User-Agent", "x"),
            ("Expect", "100-continue"), ("Transfer-Encoding", "chunked"), ("X-Amzn-Trace-Id", "Root=1"),
            ("Folded", "one\n  two\n\tthree"), ("Empty", ""), ("Spaces", "   "),
        ]
        let result = SigV4Signer.canonicalHeaders(headers)
        #expect(
            result.canonicalHeaders
                == "empty:\nfolded:one two three\nhost:h\nmy-header:a b c,second\nspaces:\n")
        #expect(result.signedHeaders == "empty;folded;host;my-header;spaces")
    }

    @Test func pathNormalisationFollowsBotocore() {
        let cases: [(String, String)] = [
            ("", "/"), ("/", "/"), ("//", "/"), ("/a/./b/../c", "/a/c"), ("/a/b/..", "/a"), ("/..", "/"),
            ("/a/b/../../..", "/"), ("//example//", "/example/"), ("/a/.", "/a"), ("/a/./", "/a/"),
            ("/.../a", "/.../a"), ("/a..b/", "/a..b/"),
        ]
        for (input, expected) in cases {
            #expect(SigV4Canonicalizer.normalizedPath(input) == expected, "normalising \(input)")
        }
    }

    /// Long values are checked eight bytes at a time: whitespace anywhere in them, in any lane of
    /// a word or in the tail, must still be trimmed, and non-ASCII bytes are not whitespace.
    @Test func longHeaderValuesAreTrimmedWhereverTheWhitespaceIs() {
        let word = "FwoGZXIvYXdzEBYaDHé"
        for position in 0..<40 {
            var value = Array(String(repeating: word, count: 5).utf8)
            for whitespace: UInt8 in [0x20, 0x09, 0x0A, 0x0D] where position < value.count {
                let original = value[position]
                value[position] = whitespace
                let text = String(decoding: value, as: UTF8.self)
                let expected = SigV4Canonicalizer.trimAll(text)
                let signed = SigV4Signer(service: "s3", region: "us-east-1").sign(
                    SigV4Request(method: "GET", path: "/", headers: [("Host", "h"), ("X-Long", text)]),
                    credentials: AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret"),
                    date: Date(timeIntervalSince1970: 1_440_938_160))
                #expect(signed.canonicalRequest.contains("\nx-long:\(expected)\n"), "whitespace at \(position)")
                #expect(SigV4Signer.canonicalHeaders([("X-Long", text)]).canonicalHeaders == "x-long:\(expected)\n")
                if whitespace == 0x20, position > 0 { #expect(expected == text, "one inner space stays") }
                value[position] = original
            }
        }
    }

    /// Header signing and the stage functions keep separate lists of never-signed names (byte
    /// matching on the hot path, a Set elsewhere); they must not drift apart.
    @Test func headerSigningLeavesOutEveryUnsignedHeaderTheStagesDo() {
        let signer = SigV4Signer(service: "sts", region: "us-east-1")
        for name in SigV4Canonicalizer.unsignedHeaderNames.sorted() {
            let headers = [("Host", "sts.amazonaws.com"), (name.uppercased(), "v")]
            let signed = signer.sign(
                SigV4Request(method: "GET", path: "/", headers: headers),
                credentials: AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret"),
                date: Date(timeIntervalSince1970: 1_440_938_160))
            #expect(TestFixtures.signedHeaders(of: signed.canonicalRequest) == "host;x-amz-date", "\(name) was signed")
            #expect(SigV4Signer.canonicalHeaders(headers).signedHeaders == "host", "\(name) was signed by the stages")
        }
    }
}
