import Foundation

/// Signs requests with AWS Signature Version 4, in headers (`Authorization`) or in the query
/// string (presigned URLs).
///
/// Pure and synchronous: the signing time is a parameter and nothing is read from the
/// environment, so the same inputs always give the same signature. The only shared state is the
/// signing-key cache, which is lock-protected.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The signing name of the service (`s3`, `sts`, `rds`, …).
    public let service: String
    public let region: String
    public let options: SigV4Options
    public let keyCache: SigningKeyCache

    public init(
        service: String, region: String, options: SigV4Options = .standard, keyCache: SigningKeyCache = .shared
    ) {
        self.service = service
        self.region = region
        self.options = options
        self.keyCache = keyCache
    }

    /// Signs `request` for the `Authorization` header.
    ///
    /// Headers in the request named like ones the signer adds (`Authorization`, `X-Amz-Date`, and
    /// `X-Amz-Security-Token` / `x-amz-content-sha256` when it adds them) are ignored and replaced,
    /// so re-signing a retried request is safe.
    public func sign(_ request: SigV4Request, credentials: AWSCredentials, date: Date) -> SigV4Signature {
        let time = SigV4Timestamp(date)
        let token = Self.sessionToken(credentials)
        let payloadHash = request.payload.canonicalHash

        var added: [(name: String, value: String)] = [("X-Amz-Date", time.amzDate)]
        // The signer's own headers, in canonical form and already in name order
        // (x-amz-content-sha256 < x-amz-date < x-amz-security-token).
        var own: [SigV4Canonicalizer.HeaderEntry] = []
        if options.addContentSHA256Header {
            own.append(.init(name: "x-amz-content-sha256", value: SigV4Canonicalizer.trimAll(payloadHash)))
        }
        own.append(.init(name: "x-amz-date", value: time.amzDate))
        if let token {
            added.append(("X-Amz-Security-Token", token))
            if options.signSessionToken {
                own.append(.init(name: "x-amz-security-token", value: SigV4Canonicalizer.trimAll(token)))
            }
        }
        if options.addContentSHA256Header { added.append(("x-amz-content-sha256", payloadHash)) }
        // Caller copies of headers the signer sets are stale (a retry): leave them out.
        let callerEntries = SigV4Canonicalizer.headerEntries(
            request.headers,
            excluding: Self.replacedHeaderNames[(token != nil ? 1 : 0) + (options.addContentSHA256Header ? 2 : 0)])
        let entries = Self.mergeSorted(callerEntries, own)

        let result = signEntries(
            method: request.method, path: request.path, query: request.query, entries: entries,
            payloadHash: payloadHash, time: time, credentials: credentials)
        let scope = credentialScope(dateStamp: time.dateStamp)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(result.signedHeaders), Signature=\(result.signature)"
        added.append(("Authorization", authorization))
        return SigV4Signature(
            headersToAdd: added, canonicalRequest: result.canonicalRequest, stringToSign: result.stringToSign,
            signature: result.signature)
    }

    /// Signs `request` as a presigned URL valid for `expires` seconds from `date`.
    ///
    /// No header is added: `X-Amz-Date` and the session token travel in the query. The payload
    /// hash is `UNSIGNED-PAYLOAD` when `options.presignUnsignedPayload` (S3), else the payload's
    /// hash. Query pairs named like the added parameters are replaced.
    ///
    /// - Throws: `SigV4Error.invalidExpiry` unless `expires` is in 1...604800 (7 days).
    public func presign(_ request: SigV4Request, credentials: AWSCredentials, date: Date, expires: Int) throws
        -> SigV4Presigned
    {
        guard (1...604_800).contains(expires) else { throw SigV4Error.invalidExpiry(expires) }
        let time = SigV4Timestamp(date)
        let token = Self.sessionToken(credentials)
        let payloadHash =
            options.presignUnsignedPayload ? SigV4Payload.unsignedPayloadLiteral : request.payload.canonicalHash
        let entries = SigV4Canonicalizer.headerEntries(request.headers)
        let signedHeaders = SigV4Canonicalizer.signedHeaders(entries)

        var added: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(credentialScope(dateStamp: time.dateStamp))"),
            ("X-Amz-Date", time.amzDate),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", signedHeaders),
        ]
        if let token { added.append(("X-Amz-Security-Token", token)) }
        let addedNames = Set(added.map(\.name)).union(["X-Amz-Signature"])
        var query = request.query.filter { !addedNames.contains($0.name) }
        query.append(contentsOf: added.filter { options.signSessionToken || $0.name != "X-Amz-Security-Token" })

        let result = signEntries(
            method: request.method, path: request.path, query: query, entries: entries, payloadHash: payloadHash,
            time: time, credentials: credentials)
        added.append(("X-Amz-Signature", result.signature))
        return SigV4Presigned(
            queryToAdd: added, canonicalRequest: result.canonicalRequest, stringToSign: result.stringToSign,
            signature: result.signature)
    }

    // MARK: - Shared core

    private struct Signed {
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
        var signedHeaders: String
    }

    private func signEntries(
        method: String, path: String, query: [(name: String, value: String)],
        entries: [SigV4Canonicalizer.HeaderEntry], payloadHash: String, time: SigV4Timestamp,
        credentials: AWSCredentials
    ) -> Signed {
        let signedHeaders = SigV4Canonicalizer.signedHeaders(entries)
        let canonicalBytes = SigV4Canonicalizer.canonicalRequestBytes(
            method: method, canonicalURI: canonicalURI(forPath: path), query: query, headers: entries,
            signedHeaders: signedHeaders, payloadHash: payloadHash)
        let stringToSign = Self.stringToSign(
            canonicalRequestHash: SigV4Digest.sha256Hex(canonicalBytes), amzDate: time.amzDate,
            credentialScope: credentialScope(dateStamp: time.dateStamp))
        let key = signingKey(credentials: credentials, dateStamp: time.dateStamp)
        return Signed(
            canonicalRequest: String(decoding: canonicalBytes, as: UTF8.self), stringToSign: stringToSign,
            signature: Self.signature(signingKey: key, stringToSign: stringToSign), signedHeaders: signedHeaders)
    }

    /// Lower-case names of the headers `sign` sets, indexed by (has token ? 1 : 0) + (content header ? 2 : 0).
    private static let replacedHeaderNames: [Set<String>] = [
        ["authorization", "x-amz-date"],
        ["authorization", "x-amz-date", "x-amz-security-token"],
        ["authorization", "x-amz-date", "x-amz-content-sha256"],
        ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"],
    ]

    /// An empty token means "no token", as in botocore.
    private static func sessionToken(_ credentials: AWSCredentials) -> String? {
        guard let token = credentials.sessionToken, !token.isEmpty else { return nil }
        return token
    }

    /// Merges two name-sorted entry lists; equal names (caller header plus own header of the same
    /// name cannot happen, because those are excluded) keep caller entries first.
    private static func mergeSorted(
        _ left: [SigV4Canonicalizer.HeaderEntry], _ right: [SigV4Canonicalizer.HeaderEntry]
    ) -> [SigV4Canonicalizer.HeaderEntry] {
        var merged: [SigV4Canonicalizer.HeaderEntry] = []
        merged.reserveCapacity(left.count + right.count)
        var i = 0
        var j = 0
        while i < left.count || j < right.count {
            if j == right.count || (i < left.count && !SigV4Canonicalizer.precedes(right[j].name, left[i].name)) {
                merged.append(left[i])
                i += 1
            } else {
                merged.append(right[j])
                j += 1
            }
        }
        return merged
    }
}
