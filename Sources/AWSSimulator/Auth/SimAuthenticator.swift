import AWSSigV4
import Foundation

/// Verifies SigV4 signatures against the simulator's own credential store.
///
/// The canonical request is rebuilt from the request exactly as received — method, raw path, raw
/// query re-encoded canonically, the values of the headers the client says it signed, and the
/// payload hash — so a request that any byte of differs from what was signed is refused. Only the
/// later, generic stages (URI encoding, string to sign, key derivation, HMAC) come from
/// `AWSSigV4`; the tests sign with botocore, so the check is not circular.
public enum SimAuthenticator {
    /// The credential scope's service and region, read without verifying anything (to pick the
    /// service and the error format before authentication).
    public struct Scope: Sendable, Equatable {
        public var service: String
        public var region: String
    }

    /// How far `X-Amz-Date` may be from the simulator's clock (AWS: 15 minutes).
    public static let allowedSkew: TimeInterval = 15 * 60
    /// The longest a presigned URL may live: 7 days (S3UG-2023 using-presigned-url.md).
    public static let maximumPresignedExpiry = 604_800

    /// The simulator's own key cache, so verification never reuses a key a client signer derived.
    private static let keyCache = SigningKeyCache(capacity: 256)

    /// Reads `Credential=AKID/DATE/REGION/SERVICE/aws4_request` from the Authorization header or the
    /// `X-Amz-Credential` query parameter of a presigned URL.
    public static func scope(of request: SimRequest) -> Scope? {
        var credential: String?
        if let auth = request.header("Authorization"), let range = auth.range(of: "Credential=") {
            credential = String(auth[range.upperBound...].prefix { $0 != "," && $0 != " " })
        } else {
            credential = request.query("X-Amz-Credential")
        }
        guard let parts = credential?.split(separator: "/"), parts.count == 5, parts[4] == "aws4_request" else {
            return nil
        }
        return Scope(service: String(parts[3]), region: String(parts[2]))
    }

    /// Establishes who sent `request`, or the error its service answers (code and status by the
    /// credential scope's service: see `SimAuthFailure`).
    ///
    /// Checks, in order: the signature parameters are complete; the key is known (a session key
    /// needs its token); the token is the issued one; the session has not expired; the request
    /// time is within 15 minutes of `now` (presigned: not past `X-Amz-Expires`, at most 7 days);
    /// the signature matches; for S3, the body matches the signed `x-amz-content-sha256`.
    ///
    /// - Parameters:
    ///   - now: the time the request's own signing time is judged against (skew, presign expiry).
    ///   - sessionNow: the clock that issued the simulator's temporary credentials, which alone
    ///     judges whether a session has expired (a credential is never judged by another clock
    ///     than the one that made it). `now` when not given.
    public static func authenticate(
        _ request: SimRequest, iam: IAMState, now: Date, sessionNow: Date? = nil
    ) -> Result<SimPrincipal, SimError> {
        let service = scope(of: request)?.service ?? "s3"
        do throws(SimAuthFailure) {
            return .success(try verify(request, iam: iam, now: now, sessionNow: sessionNow ?? now))
        } catch {
            return .failure(error.error(for: service))
        }
    }

    // MARK: - Verification

    /// What the request claims: from the Authorization header or the presigned query.
    private struct Claim {
        var accessKeyId: String
        var dateStamp: String
        var region: String
        var service: String
        var signedHeaders: [String]
        var signature: String
        var amzDate: String
        var token: String?
        /// Seconds, for presigned URLs.
        var expires: Int?
        var credentialScope: String { "\(dateStamp)/\(region)/\(service)/aws4_request" }
    }

    private static func verify(_ request: SimRequest, iam: IAMState, now: Date, sessionNow: Date) throws(SimAuthFailure) -> SimPrincipal {
        let query = rawQueryPairs(request.rawQuery)
        let presigned = request.header("Authorization") == nil
        let claim = presigned ? try presignedClaim(query) : try headerClaim(request)
        let isS3 = claim.service == "s3"

        guard let requestTime = parseAmzDate(claim.amzDate) else {
            let what = presigned ? "X-Amz-Date" : "x-amz-date"
            throw presigned
                ? .malformedQuery("\(what) must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z'.")
                : .malformed("\(what) must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z'.")
        }
        guard claim.amzDate.hasPrefix(claim.dateStamp) else {
            throw presigned
                ? .malformedQuery("Invalid credential date. Date is not the same as X-Amz-Date.")
                : .malformed("Invalid credential date. Date is not the same as X-Amz-Date.")
        }

        // The key, its token and its lifetime.
        guard let (principal, secret, session) = iam.credential(forAccessKey: claim.accessKeyId) else {
            throw .unknownAccessKey
        }
        if let session {
            // A session key without its token cannot be resolved: AWS answers as for an unknown
            // key (moto 5.2.1 with auth enforced agrees, MOTO-NOTES §6).
            guard let token = claim.token else { throw .unknownAccessKey }
            guard constantTimeEqual(token, session.sessionToken) else { throw .invalidToken }
            if sessionNow >= session.expiration { throw .expiredToken }
        } else if claim.token != nil {
            throw .invalidToken
        }

        // Time: header signing within 15 minutes either way; presigned within its lifetime.
        if let expires = claim.expires {
            guard (1...maximumPresignedExpiry).contains(expires) else {
                throw .malformedQuery("X-Amz-Expires must be less than a week (in seconds) that is 604800")
            }
            if requestTime.timeIntervalSince(now) > allowedSkew {
                throw .skewed(requestTime: claim.amzDate, serverTime: amzDate(now), earlier: false)
            }
            if now > requestTime.addingTimeInterval(TimeInterval(expires)) { throw .presignExpired }
        } else if abs(requestTime.timeIntervalSince(now)) > allowedSkew {
            throw .skewed(requestTime: claim.amzDate, serverTime: amzDate(now), earlier: requestTime < now)
        }

        // The payload hash as the client must have signed it.
        let payloadHash: String
        let contentHeader = request.header("x-amz-content-sha256")
        if isS3 {
            if presigned {
                payloadHash =
                    contentHeader.flatMap { claim.signedHeaders.contains("x-amz-content-sha256") ? $0 : nil }
                    ?? SigV4Payload.unsignedPayloadLiteral
            } else {
                guard let contentHeader else {
                    throw .invalidContentSHA256("Missing required header for this request: x-amz-content-sha256")
                }
                payloadHash = contentHeader
            }
            guard
                isHexSHA256(payloadHash) || payloadHash == SigV4Payload.unsignedPayloadLiteral
                    || payloadHash.hasPrefix("STREAMING-")
            else {
                throw .invalidContentSHA256(
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-… value, or a valid sha256 value.")
            }
            if !presigned {
                let unsigned = request.headers.map { $0.name.lowercased() }.filter {
                    $0.hasPrefix("x-amz-") && !claim.signedHeaders.contains($0)
                }
                if !unsigned.isEmpty { throw .headersNotSigned(Set(unsigned).sorted().joined(separator: ", ")) }
            }
        } else {
            payloadHash = SigV4Payload.bytes(request.body).canonicalHash
        }

        // Stage 1 from the raw request; stages 2–4 from AWSSigV4.
        let signer = SigV4Signer(
            service: claim.service, region: claim.region, options: isS3 ? .s3 : .standard, keyCache: keyCache)
        let canonical = canonicalRequest(
            request, signer: signer, query: presigned ? query.filter { $0.name != "X-Amz-Signature" } : query,
            signedHeaders: claim.signedHeaders, payloadHash: payloadHash)
        let stringToSign = SigV4Signer.stringToSign(
            canonicalRequest: canonical, amzDate: claim.amzDate, credentialScope: claim.credentialScope)
        let key = signer.signingKey(
            credentials: AWSCredentials(accessKeyId: claim.accessKeyId, secretAccessKey: secret),
            dateStamp: claim.dateStamp)
        let expected = SigV4Signer.signature(signingKey: key, stringToSign: stringToSign)
        guard constantTimeEqual(expected, claim.signature) else { throw .signatureMismatch }

        // S3 checks the body against the signed hash after the signature (the hash is only known
        // once the body has streamed in).
        if isS3, isHexSHA256(payloadHash), SigV4Payload.bytes(request.body).canonicalHash != payloadHash.lowercased() {
            throw .contentSHA256Mismatch
        }
        return principal
    }

    /// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` plus `X-Amz-Date` and the token header.
    private static func headerClaim(_ request: SimRequest) throws(SimAuthFailure) -> Claim {
        guard let authorization = request.header("Authorization") else { throw .malformed("missing Authorization") }
        let trimmed = authorization.drop { $0 == " " }
        guard trimmed.hasPrefix(SigV4Signer.algorithm + " ") else {
            throw .malformed("the authorization mechanism is not supported; use \(SigV4Signer.algorithm).")
        }
        var fields: [String: String] = [:]
        for part in trimmed.dropFirst(SigV4Signer.algorithm.count + 1).split(separator: ",") {
            let pair = trimSpaces(part).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let credential = fields["Credential"], let signedHeaders = fields["SignedHeaders"],
            let signature = fields["Signature"]
        else {
            throw .malformed("the Authorization header needs Credential, SignedHeaders and Signature.")
        }
        guard let amzDate = request.header("X-Amz-Date") else {
            throw .malformed("AWS authentication requires a valid x-amz-date header.")
        }
        var claim = try credentialClaim(
            credential, signedHeaders: signedHeaders, signature: signature, amzDate: amzDate, query: false)
        claim.token = request.header("X-Amz-Security-Token")
        return claim
    }

    /// The `X-Amz-*` parameters of a presigned URL.
    private static func presignedClaim(_ query: [(name: String, value: String)]) throws(SimAuthFailure) -> Claim {
        func value(_ name: String) -> String? { query.first { $0.name == name }?.value }
        guard value("X-Amz-Algorithm") == SigV4Signer.algorithm else {
            throw .malformedQuery("X-Amz-Algorithm only supports \"\(SigV4Signer.algorithm)\"")
        }
        guard let credential = value("X-Amz-Credential"), let amzDate = value("X-Amz-Date"),
            let signedHeaders = value("X-Amz-SignedHeaders"), let signature = value("X-Amz-Signature"),
            let expiresText = value("X-Amz-Expires")
        else {
            throw .malformedQuery(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
                    + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        }
        guard let expires = Int(expiresText) else { throw .malformedQuery("X-Amz-Expires should be a number") }
        var claim = try credentialClaim(
            credential, signedHeaders: signedHeaders, signature: signature, amzDate: amzDate, query: true)
        claim.token = value("X-Amz-Security-Token")
        claim.expires = expires
        return claim
    }

    private static func credentialClaim(
        _ credential: String, signedHeaders: String, signature: String, amzDate: String, query: Bool
    ) throws(SimAuthFailure) -> Claim {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[4] == "aws4_request", !parts[0].isEmpty else {
            let detail = "the Credential must have the form ACCESS_KEY_ID/yyyyMMdd/REGION/SERVICE/aws4_request."
            throw query ? .malformedQuery(detail) : .malformed(detail)
        }
        let names = signedHeaders.split(separator: ";", omittingEmptySubsequences: false).map { String($0) }
        guard names.contains("host") else {
            let detail = "SignedHeaders must include host."
            throw query ? .malformedQuery(detail) : .malformed(detail)
        }
        return Claim(
            accessKeyId: String(parts[0]), dateStamp: String(parts[1]), region: String(parts[2]),
            service: String(parts[3]),
            signedHeaders: names, signature: signature, amzDate: amzDate)
    }

    // MARK: - Canonical request

    private static func canonicalRequest(
        _ request: SimRequest, signer: SigV4Signer, query: [(name: String, value: String)], signedHeaders: [String],
        payloadHash: String
    ) -> String {
        var out = request.method
        out += "\n"
        out += signer.canonicalURI(forPath: request.path)
        out += "\n"
        out += SigV4Signer.canonicalQueryString(query)
        out += "\n"
        for name in signedHeaders {
            // Repeated headers join with "," in order of arrival; a signed header that did not
            // arrive contributes an empty value and so cannot match.
            let values = request.headers.filter { SimRequest.sameHeaderName($0.name, name) }.map { trimAll($0.value) }
            out += name
            out += ":"
            out += values.joined(separator: ",")
            out += "\n"
        }
        out += "\n"
        out += signedHeaders.joined(separator: ";")
        out += "\n"
        out += payloadHash
        return out
    }

    /// Raw `a=b&c` split into decoded pairs; `+` stays a plus (SigV4 query strings are not forms).
    static func rawQueryPairs(_ raw: String) -> [(name: String, value: String)] {
        guard !raw.isEmpty else { return [] }
        return raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (SigV4URIEncoding.decode(String(kv[0])), kv.count > 1 ? SigV4URIEncoding.decode(String(kv[1])) : "")
        }
    }

    /// SigV4 "Trimall": strip, and collapse inner runs of whitespace to one space.
    /// Spaces and tabs off both ends of an Authorization field, without Foundation's Unicode
    /// `trimmingCharacters` (a few per request, ~2 % of the simulator's CPU in the bulk copy).
    private static func trimSpaces(_ part: Substring) -> Substring {
        var part = part
        while let first = part.first, first == " " || first == "\t" { part = part.dropFirst() }
        while let last = part.last, last == " " || last == "\t" { part = part.dropLast() }
        return part
    }

    static func trimAll(_ value: String) -> String {
        // Whitespace as SigV4 defines it: ASCII space, \t, \n, \v, \f, \r (bytes, since "\r\n"
        // is one Character).
        let words = value.utf8.split(whereSeparator: { $0 == 0x20 || (0x09...0x0D).contains($0) })
        return words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    private static func isHexSHA256(_ s: String) -> Bool {
        s.utf8.count == 64
            && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }

    /// Compares without an early exit, so timing tells nothing about how much of a guess matched.
    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    // MARK: - Time

    /// `yyyyMMdd'T'HHmmss'Z'` → Date, strictly (UTC).
    static func parseAmzDate(_ s: String) -> Date? {
        let bytes = Array(s.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
            let minute = number(11..<13), let second = number(13..<15), (1...12).contains(month),
            (1...31).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        // Days from civil (Howard Hinnant), to avoid a Calendar per request.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthPrime = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthPrime + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// Date → `yyyyMMdd'T'HHmmss'Z'`.
    static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ v: Int?, _ n: Int) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2)
            + pad(c.second, 2) + "Z"
    }
}
