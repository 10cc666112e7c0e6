import AWSSigV4
import Foundation

/// The SigV4 canonicaliser and signer on an arbitrary HTTP request (the format of the aws-c-auth
/// suite's `request.txt`), under the standard and the S3 rules, in headers and presigned.
///
/// Invariants: signing is deterministic; the signature is the HMAC of the string to sign, which
/// is built from the canonical request; the canonical request has exactly one line per signed
/// header plus its six fixed lines (no value can smuggle in a line break); query encoding is
/// undone by decoding.
enum SigV4FuzzTarget {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267")
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z, the suite's

    static func run(_ data: Data) {
        guard let raw = RawHTTPRequest(data) else { return }
        var path = raw.target
        var query: [(name: String, value: String)] = []
        if let question = raw.target.firstIndex(of: "?") {
            path = String(raw.target[..<question])
            for pair in raw.target[raw.target.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = SigV4URIEncoding.decode(String(parts[0]))
                let value = SigV4URIEncoding.decode(parts.count > 1 ? String(parts[1]) : "")
                query.append((name, value))
                for text in [name, value] {
                    FuzzCheck.require(
                        SigV4URIEncoding.decode(SigV4URIEncoding.encode(text, encodeSlash: true)) == text,
                        "decode(encode(s)) != s for a query component")
                }
            }
        }
        let request = SigV4Request(
            method: raw.method, path: path, query: query, headers: raw.headers, payload: .bytes(raw.body))

        for options in [
            SigV4Options.standard, .s3,
            SigV4Options(normalizePath: false, doubleEncodePath: false, addContentSHA256Header: true, signSessionToken: false),
        ] {
            let signer = SigV4Signer(service: "service", region: "us-east-1", options: options, keyCache: SigningKeyCache())
            let first = signer.sign(request, credentials: credentials, date: date)
            let second = signer.sign(request, credentials: credentials, date: date)
            FuzzCheck.require(first.canonicalRequest == second.canonicalRequest, "canonicalising is not deterministic")
            FuzzCheck.require(first.signature == second.signature, "signing is not deterministic")
            checkChain(first.canonicalRequest, first.stringToSign, first.signature, signer)
            checkLines(first.canonicalRequest, headerNames: raw.headers.map(\.name))

            if let presigned = try? signer.presign(request, credentials: credentials, date: date, expires: 3600) {
                checkChain(presigned.canonicalRequest, presigned.stringToSign, presigned.signature, signer)
                checkLines(presigned.canonicalRequest, headerNames: raw.headers.map(\.name))
            }
        }
        _ = SigV4Signer.canonicalQueryString(query)
        _ = SigV4Signer.canonicalHeaders(raw.headers)
    }

    /// canonical request → string to sign → signature, recomputed with the public stage functions.
    private static func checkChain(
        _ canonical: String, _ stringToSign: String, _ signature: some StringProtocol, _ signer: SigV4Signer
    ) {
        let scope = signer.credentialScope(dateStamp: "20150830")
        let expected = SigV4Signer.stringToSign(canonicalRequest: canonical, amzDate: "20150830T123600Z", credentialScope: scope)
        FuzzCheck.require(expected == stringToSign, "the string to sign is not built from the canonical request")
        let key = signer.signingKey(credentials: credentials, dateStamp: "20150830")
        FuzzCheck.require(
            SigV4Signer.signature(signingKey: key, stringToSign: stringToSign) == signature,
            "the signature is not the HMAC of the string to sign")
    }

    /// Six fixed lines (method, URI, query, the blank after the headers, signed headers, payload
    /// hash) plus one per signed header. An empty header name, or one with `;`, makes the count
    /// ambiguous (HTTP allows neither): skipped.
    private static func checkLines(_ canonical: String, headerNames: [String]) {
        guard !headerNames.contains(where: { $0.isEmpty || $0.contains(";") }) else { return }
        // By bytes: as Characters, a `\r` before a line break would join it into one `\r\n`.
        let lines = canonical.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        FuzzCheck.require(lines.count >= 6, "a canonical request has fewer than six lines")
        let signed = lines[lines.count - 2].split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        FuzzCheck.require(
            lines.count == 6 + (lines[lines.count - 2].isEmpty ? 0 : signed.count),
            "a canonical request has \(lines.count) lines for \(signed.count) signed headers: \(canonical.debugDescription)")
    }
}
