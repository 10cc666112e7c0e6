import Foundation

/// A request body as S3 receives it: `aws-chunked` framing removed (SigV4 streaming uploads and
/// trailing checksums, AWS-NOTES §6.4), and its integrity headers checked.
struct S3Payload {
    var data: Data
    /// Checksums sent with the body, by algorithm (`SHA256` → base64): `x-amz-checksum-*` headers
    /// or trailers.
    var checksums: [String: String]

    static let checksumAlgorithms = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", "MD5", "SHA512", "XXHASH64", "XXHASH3", "XXHASH128"]

    /// Reads and verifies the body: `Content-MD5` and `x-amz-checksum-sha256` must match the
    /// bytes (400 `BadDigest`, BC-S3 error table). Other algorithms are stored as sent.
    init(_ request: SimRequest, resource: String) throws(SimError) {
        var trailers: [String: String] = [:]
        let streaming =
            request.header("x-amz-content-sha256")?.hasPrefix("STREAMING-") == true
            || request.header("Content-Encoding")?.contains("aws-chunked") == true
        if streaming {
            (data, trailers) = try Self.decodeChunked(request.body, resource: resource)
            if let declared = request.header("x-amz-decoded-content-length"), Int(declared) != data.count {
                throw SimError(
                    "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header",
                    status: 400, resource: resource)
            }
        } else {
            data = request.body
        }
        checksums = [:]
        for algorithm in Self.checksumAlgorithms {
            let name = "x-amz-checksum-\(algorithm.lowercased())"
            if let value = request.header(name) ?? trailers[name] { checksums[algorithm] = value }
        }
        if let md5 = request.header("Content-MD5") {
            guard let expected = Data(base64Encoded: md5), expected.count == 16 else {
                throw SimError("InvalidDigest", "The Content-MD5 you specified was invalid.", status: 400, resource: resource)
            }
            guard [UInt8](expected) == S3Digest.md5(data) else {
                throw SimError(
                    "BadDigest", "The Content-MD5 you specified did not match what we received.", status: 400, resource: resource)
            }
        }
        if let sha = checksums["SHA256"] {
            guard let expected = Data(base64Encoded: sha), expected.count == 32 else {
                throw S3Errors.invalidRequest("Value for x-amz-checksum-sha256 header is invalid.", resource)
            }
            guard [UInt8](expected) == S3Digest.sha256(data) else {
                throw SimError(
                    "BadDigest", "The SHA256 you specified did not match the calculated checksum.", status: 400, resource: resource)
            }
        }
    }

    /// `hex-size[;chunk-signature=…]\r\n bytes \r\n … 0\r\n [trailer: value\r\n]* \r\n`.
    static func decodeChunked(_ body: Data, resource: String) throws(SimError) -> (Data, [String: String]) {
        let bytes = [UInt8](body)
        var position = 0
        var output = Data()
        var trailers: [String: String] = [:]
        let malformed = SimError("IncompleteBody", "The aws-chunked body is malformed.", status: 400, resource: resource)
        func readLine() -> String? {
            var end = position
            while end + 1 < bytes.count && !(bytes[end] == 0x0D && bytes[end + 1] == 0x0A) { end += 1 }
            guard end + 1 < bytes.count else {
                if position < bytes.count {
                    let line = String(decoding: bytes[position..<bytes.count], as: UTF8.self)
                    position = bytes.count
                    return line
                }
                return nil
            }
            let line = String(decoding: bytes[position..<end], as: UTF8.self)
            position = end + 2
            return line
        }
        while true {
            guard let header = readLine() else { throw malformed }
            let sizeText = header.split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { throw malformed }
            if size == 0 { break }
            guard position + size <= bytes.count else { throw malformed }
            output.append(contentsOf: bytes[position..<(position + size)])
            position += size
            guard position + 2 <= bytes.count, bytes[position] == 0x0D, bytes[position + 1] == 0x0A else { throw malformed }
            position += 2
        }
        while let line = readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            trailers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (output, trailers)
    }

    /// The request asked for integrity protection (`Content-MD5` or any checksum), which S3
    /// requires on DeleteObjects and the configuration PUTs (BC-S3 `httpChecksum`).
    static func hasIntegrityHeader(_ request: SimRequest) -> Bool {
        request.headers.contains { header in
            let name = header.name.lowercased()
            return name == "content-md5" || (name.hasPrefix("x-amz-checksum-") && name != "x-amz-checksum-mode")
                || name == "x-amz-sdk-checksum-algorithm" || name == "x-amz-trailer"
        }
    }
}
