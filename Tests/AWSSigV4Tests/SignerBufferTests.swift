import Foundation
import Testing

@testable import AWSSigV4

/// The header signer writes into one block sized from the request and keeps the session token
/// out of its scratch (issue 19). These requests sit at the edges of that sizing: a token of
/// kilobytes with whitespace to trim, a path that triples when encoded, many long headers. Each
/// is checked against the stage functions, which build the same text from Strings.
@Suite struct SignerBufferTests {
    let date = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z

    /// Canonical request and signature as the stage functions give them for what `sign` must
    /// sign: the request's headers plus X-Amz-Date, the token and (S3) x-amz-content-sha256.
    func expected(
        _ signer: SigV4Signer, _ request: SigV4Request, _ credentials: AWSCredentials
    ) -> (canonicalRequest: String, signature: String) {
        var headers = request.headers
        headers.append(("X-Amz-Date", "20150830T123600Z"))
        if let token = credentials.sessionToken { headers.append(("X-Amz-Security-Token", token)) }
        let payloadHash = request.payload.canonicalHash
        if signer.options.addContentSHA256Header { headers.append(("x-amz-content-sha256", payloadHash)) }
        let complete = SigV4Request(
            method: request.method, path: request.path, query: request.query, headers: headers,
            payload: request.payload)
        let canonical = signer.canonicalRequest(complete, payloadHash: payloadHash)
        let stringToSign = SigV4Signer.stringToSign(
            canonicalRequest: canonical, amzDate: "20150830T123600Z",
            credentialScope: signer.credentialScope(dateStamp: "20150830"))
        let key = signer.signingKey(credentials: credentials, dateStamp: "20150830")
        return (canonical, SigV4Signer.signature(signingKey: key, stringToSign: stringToSign))
    }

    @Test func kilobyteSessionTokensAreTrimmedAndSignedAsTheStagesSignThem() {
        let signer = SigV4Signer(service: "sts", region: "us-east-1", keyCache: SigningKeyCache())
        let request = SigV4Request(
            method: "POST", path: "/", headers: [("Host", "sts.amazonaws.com")],
            payload: .bytes(Data("Action=GetCallerIdentity&Version=2011-06-15".utf8)))
        let body = String(repeating: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH", count: 40)  // 1,920 bytes
        for token in [body, "  \(body)\t", "\(body.prefix(900))  \n \(body.suffix(900))", body + " x"] {
            let credentials = AWSCredentials(
                accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: token)
            let signed = signer.sign(request, credentials: credentials, date: date)
            let want = expected(signer, request, credentials)
            #expect(signed.canonicalRequest == want.canonicalRequest)
            #expect(signed.signature == want.signature)
            #expect(TestFixtures.header("X-Amz-Security-Token", in: signed.headersToAdd) == token, "sent as given")
        }
    }

    @Test func pathsThatTripleWhenEncodedAndManyLongHeadersSignAsTheStagesSignThem() {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "t")
        var headers: [(name: String, value: String)] = [("Host", "example.amazonaws.com")]
        for index in 0..<40 {
            headers.append(("X-Custom-\(index)", String(repeating: "v\(index) ", count: 30)))
        }
        let query = (0..<30).map { (name: "q\($0)/é", value: String(repeating: "%&=", count: 50)) }
        let request = SigV4Request(
            method: "GET", path: "/" + String(repeating: "%", count: 3000), query: query, headers: headers)
        for (service, options) in [("service", SigV4Options.standard), ("s3", SigV4Options.s3)] {
            let signer = SigV4Signer(service: service, region: "us-east-1", options: options, keyCache: SigningKeyCache())
            let signed = signer.sign(request, credentials: credentials, date: date)
            let want = expected(signer, request, credentials)
            #expect(signed.canonicalRequest == want.canonicalRequest, "\(service)")
            #expect(signed.signature == want.signature, "\(service)")
        }
    }

    /// The output estimate is an upper bound, so growing never happens in signing; the writer
    /// still grows rather than write past its block if an estimate is ever wrong.
    @Test func writerGrowsPastAnEstimateThatFallsShort() {
        var writer = SigV4CanonicalWriter(capacity: 1, scratchBytes: 1, entryCount: 1)
        defer { writer.deallocateScratch() }
        var expected = ""
        for index in 0..<500 {
            writer.append("chunk-\(index);")
            expected += "chunk-\(index);"
        }
        writer.appendCopy(of: 0..<6)
        writer.appendHex(SigV4Digest.zero32)
        expected += "chunk-" + String(repeating: "0", count: 64)
        #expect(writer.string(0..<writer.count) == expected)
        // The kept text is copied out of the grown output, not read from the too-small block.
        let text = writer.finish(canonicalRequest: 0..<6, stringToSign: 8..<15)
        #expect(text.string(text.canonicalRequest) == "chunk-")
        #expect(text.string(text.stringToSign) == "chunk-1")
    }

    /// The signer writes a path as is when it needs neither normalising nor encoding, and asks
    /// `canonicalURI(forPath:)` otherwise: for every mix of the two options, paths on either side
    /// of that test must come out as `canonicalURI(forPath:)` gives them.
    @Test func pathsTakenAsIsAndPathsCanonicalizedAgreeWithTheStageFunction() {
        let paths = [
            "", "/", "/a/b", "/a/b/", "/a.txt", "/.", "//a", "/a//b", "/a/./b", "/a/../b", "/%20", "/a%2Fb", "/a b",
            "relative", "/ü", "/a~b-c_d", "/A-Z_0-9~", "/x+y", "/x=y&z",
        ]
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret")
        for normalize in [false, true] {
            for doubleEncode in [false, true] {
                let options = SigV4Options(normalizePath: normalize, doubleEncodePath: doubleEncode)
                let signer = SigV4Signer(service: "service", region: "us-east-1", options: options)
                for path in paths {
                    let request = SigV4Request(method: "GET", path: path, headers: [("Host", "example.amazonaws.com")])
                    let signed = signer.sign(request, credentials: credentials, date: date)
                    #expect(
                        TestFixtures.canonicalURI(of: signed.canonicalRequest) == signer.canonicalURI(forPath: path),
                        "path \(path), normalize \(normalize), double-encode \(doubleEncode)")
                }
            }
        }
    }
}
