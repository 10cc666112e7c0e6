/// The signing stages, one function each, so every step can be checked against published
/// intermediate values (and reused, e.g. for chunk signatures).
extension SigV4Signer {
    /// Stage 1a: the canonical URI for a wire path under this signer's options.
    public func canonicalURI(forPath path: String) -> String {
        SigV4Canonicalizer.canonicalURI(path: path, options: options)
    }

    /// Stage 1b: the canonical query string for decoded pairs.
    public static func canonicalQueryString(_ query: [(name: String, value: String)]) -> String {
        var out: [UInt8] = []
        SigV4Canonicalizer.appendCanonicalQuery(query, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Stage 1c: the canonical header block (`name:value\n` per header) and the signed header list.
    public static func canonicalHeaders(
        _ headers: [(name: String, value: String)]
    )
        -> (canonicalHeaders: String, signedHeaders: String)
    {
        let entries = SigV4Canonicalizer.headerEntries(headers)
        var out: [UInt8] = []
        SigV4Canonicalizer.appendCanonicalHeaders(entries, to: &out)
        return (String(decoding: out, as: UTF8.self), SigV4Canonicalizer.signedHeaders(entries))
    }

    /// Stage 1: the canonical request for `request` exactly as given — its headers (minus the
    /// never-signed ones) and query, with nothing added.
    public func canonicalRequest(_ request: SigV4Request, payloadHash: String) -> String {
        let entries = SigV4Canonicalizer.headerEntries(request.headers)
        let bytes = SigV4Canonicalizer.canonicalRequestBytes(
            method: request.method, canonicalURI: canonicalURI(forPath: request.path), query: request.query,
            headers: entries, signedHeaders: SigV4Canonicalizer.signedHeaders(entries), payloadHash: payloadHash)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `yyyyMMdd/region/service/aws4_request`.
    public func credentialScope(dateStamp: String) -> String {
        "\(dateStamp)/\(region)/\(service)/aws4_request"
    }

    /// Stage 2: the string to sign for a canonical request.
    public static func stringToSign(canonicalRequest: String, amzDate: String, credentialScope: String) -> String {
        stringToSign(
            canonicalRequestHash: SigV4Digest.sha256Hex(canonicalRequest), amzDate: amzDate,
            credentialScope: credentialScope)
    }

    static func stringToSign(canonicalRequestHash: String, amzDate: String, credentialScope: String) -> String {
        var out = algorithm
        out.reserveCapacity(algorithm.utf8.count + amzDate.utf8.count + credentialScope.utf8.count + 67)
        out += "\n"
        out += amzDate
        out += "\n"
        out += credentialScope
        out += "\n"
        out += canonicalRequestHash
        return out
    }

    /// Stage 3: the signing key for this signer's region and service on `dateStamp`
    /// (`yyyyMMdd`), from the key cache.
    public func signingKey(credentials: AWSCredentials, dateStamp: String) -> SigV4SigningKey {
        keyCache.signingKey(
            secretAccessKey: credentials.secretAccessKey, dateStamp: dateStamp, region: region, service: service)
    }

    /// Stage 4: the lower-case hex signature of a string to sign.
    public static func signature(signingKey: SigV4SigningKey, stringToSign: String) -> String {
        var message = stringToSign
        return message.withUTF8 { signingKey.signatureHex(of: UnsafeRawBufferPointer($0)) }
    }
}
