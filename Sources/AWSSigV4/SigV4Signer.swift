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
        let addContentHeader = options.addContentSHA256Header
        // A body's hash goes straight into the buffer as hex unless a header needs it as a String.
        var bodyDigest: SigV4Digest.Bytes32?
        if !addContentHeader, case .bytes(let data) = request.payload, !data.isEmpty {
            bodyDigest = data.withUnsafeBytes { SigV4Digest.sha256($0) }
        }
        let payloadHash = bodyDigest == nil ? request.payload.canonicalHash : ""

        // One buffer holds the canonical request, then the string to sign; both are hashed in
        // place and only become Strings if someone reads them (SigV4Signature). Names, values
        // and encoded query pairs are sorted in a scratch block sized here, from the request.
        // Through the arrays' buffers: `for pair in request.query` copied each pair out,
        // retaining and releasing both of its strings.
        let queryBytes = request.query.withUnsafeBufferPointer { query in
            var total = 0
            for index in query.indices { total &+= query[index].name.utf8.count &+ query[index].value.utf8.count }
            return total
        }
        let headerBytes = request.headers.withUnsafeBufferPointer { headers in
            var total = 0
            for index in headers.indices {
                total &+= headers[index].name.utf8.count &+ headers[index].value.utf8.count
            }
            return total
        }
        let tokenBytes = token?.utf8.count ?? 0
        // The signer's own headers in the scratch: x-amz-content-sha256, x-amz-date and the name
        // x-amz-security-token (its value, the token, stays out).
        let ownHeaderBytes = 20 &+ payloadHash.utf8.count &+ 10 &+ 16 &+ 20
        // Canonical request, string to sign and Authorization in one buffer, sized for the
        // longest each can be (the writer grows it should this ever fall short): a
        // double-encoded path triples at most, query bytes too; header names are written twice
        // (the block and the signed list) and three times with Authorization.
        let scopeBytes = 23 &+ region.utf8.count &+ service.utf8.count
        let signedBytes = headerBytes &+ ownHeaderBytes &+ request.headers.count &+ 3
        var writer = SigV4CanonicalWriter(
            capacity: request.method.utf8.count &+ request.path.utf8.count &* 3 &+ queryBytes &* 3
                &+ request.query.count &* 2 &+ signedBytes &* 3 &+ tokenBytes &+ max(64, payloadHash.utf8.count)
                &+ credentials.accessKeyId.utf8.count &+ scopeBytes &* 2 &+ 256,
            scratchBytes: max(queryBytes &* 3, headerBytes &+ ownHeaderBytes),
            entryCount: max(request.query.count, request.headers.count &+ 3))
        defer { writer.deallocateScratch() }
        return sign(
            request, credentials: credentials, time: time, token: token, payloadHash: payloadHash,
            bodyDigest: bodyDigest, into: &writer)
    }

    private func sign(
        _ request: SigV4Request, credentials: AWSCredentials, time: SigV4Timestamp, token: String?,
        payloadHash: String, bodyDigest: SigV4Digest.Bytes32?, into writer: inout SigV4CanonicalWriter
    ) -> SigV4Signature {
        let addContentHeader = options.addContentSHA256Header
        writer.append(request.method)
        writer.append(UInt8(ascii: "\n"))
        writer.appendCanonicalURI(request.path, options: options)
        writer.append(UInt8(ascii: "\n"))
        writer.appendCanonicalQuery(request.query)
        writer.append(UInt8(ascii: "\n"))
        writer.beginHeaders()
        // Caller copies of headers the signer sets are stale (a retry): they are left out.
        let signerSets = SigV4CanonicalWriter.SignerHeaders(sessionToken: token != nil, contentSHA256: addContentHeader)
        // Through the array's buffer: `for header in request.headers` copied each pair out,
        // retaining and releasing both strings. (Each string read here is still retained once:
        // the writer's raw-pointer stores could, as far as the compiler knows, overwrite the
        // array, so it keeps a copy of a string across them.)
        request.headers.withUnsafeBufferPointer { headers in
            for index in headers.indices {
                writer.addHeader(name: headers[index].name, value: headers[index].value, signerSets: signerSets)
            }
        }
        if addContentHeader { writer.addOwnHeader(name: "x-amz-content-sha256", value: payloadHash) }
        writer.addOwnHeader(name: "x-amz-date", value: time.amzDate)
        if let token, options.signSessionToken { writer.addSessionTokenHeader(token) }
        let signedHeaders = writer.appendCanonicalHeaders()
        writer.append(UInt8(ascii: "\n"))
        if let bodyDigest { writer.appendHex(bodyDigest) } else { writer.append(payloadHash) }
        let canonicalRequest = 0..<writer.count

        let canonicalHash = writer.withOutput(canonicalRequest) { SigV4Digest.sha256($0) }
        let stringToSignStart = writer.count
        writer.appendLiteral("AWS4-HMAC-SHA256")
        writer.append(UInt8(ascii: "\n"))
        writer.append(time.amzDate)
        writer.append(UInt8(ascii: "\n"))
        let scopeStart = writer.count
        writer.append(time.dateStamp)
        writer.append(UInt8(ascii: "/"))
        writer.append(region)
        writer.append(UInt8(ascii: "/"))
        writer.append(service)
        writer.appendLiteral("/aws4_request")
        let scope = scopeStart..<writer.count
        writer.append(UInt8(ascii: "\n"))
        writer.appendHex(canonicalHash)
        let stringToSign = stringToSignStart..<writer.count

        let key = signingKey(credentials: credentials, dateStamp: time.dateStamp)
        let signature = writer.withOutput(stringToSign) { key.signature(of: $0) }

        // Written after the string to sign in the same buffer, then copied out once. The
        // signature's hex goes in from its digest, and `SigV4Signature.signature` reads it back
        // from here: it must stay the value's last 64 bytes.
        let authorizationStart = writer.count
        writer.appendLiteral("AWS4-HMAC-SHA256 Credential=")
        writer.append(credentials.accessKeyId)
        writer.append(UInt8(ascii: "/"))
        writer.appendCopy(of: scope)
        writer.appendLiteral(", SignedHeaders=")
        writer.appendCopy(of: signedHeaders)
        writer.appendLiteral(", Signature=")
        writer.appendHex(signature)
        let authorization = writer.string(authorizationStart..<writer.count)

        return SigV4Signature(
            headersToAdd: SigV4AddedHeaders(
                amzDate: time.amzDate, sessionToken: token, contentSHA256: addContentHeader ? payloadHash : nil,
                authorization: authorization),
            text: writer.finish(canonicalRequest: canonicalRequest, stringToSign: stringToSign))
    }

    /// Signs `request` as a presigned URL valid for `expires` seconds from `date`.
    ///
    /// No header is added: `X-Amz-Date` and the session token travel in the query. The payload
    /// hash is `UNSIGNED-PAYLOAD` when `options.presignUnsignedPayload` (S3), else the payload's
    /// hash. Query pairs named like the added parameters are replaced.
    ///
    /// - Throws: `SigV4Error.invalidExpiry` unless `expires` is in 1...604800 (7 days).
    public func presign(
        _ request: SigV4Request, credentials: AWSCredentials, date: Date, expires: Int
    ) throws
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

    /// An empty token means "no token", as in botocore.
    private static func sessionToken(_ credentials: AWSCredentials) -> String? {
        guard let token = credentials.sessionToken, !token.isEmpty else { return nil }
        return token
    }
}
