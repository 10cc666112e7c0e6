import AWSSigV4
import Foundation

/// One case of the aws-c-auth v4 signing suite, read from disk.
struct OfficialSuiteCase {
    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var expiration_in_seconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
        var omit_session_token: Bool?
    }

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// The 38 v4 cases (AWS-NOTES §6.2). Listed here, not read from disk, so that a missing
    /// suite fails every case instead of silently running none.
    static let names = [
        "get-header-key-duplicate", "get-header-value-multiline", "get-header-value-order",
        "get-header-value-trim", "get-relative-normalized", "get-relative-relative-normalized",
        "get-relative-relative-unnormalized", "get-relative-unnormalized", "get-slash-dot-slash-normalized",
        "get-slash-dot-slash-unnormalized", "get-slash-normalized", "get-slash-pointless-dot-normalized",
        "get-slash-pointless-dot-unnormalized", "get-slash-unnormalized", "get-slashes-normalized",
        "get-slashes-unnormalized", "get-space-normalized", "get-space-unnormalized", "get-unreserved", "get-utf8",
        "get-vanilla-empty-query-key", "get-vanilla-query-order-encoded", "get-vanilla-query-order-key-case",
        "get-vanilla-query-unreserved", "get-vanilla-query", "get-vanilla-utf8-query",
        "get-vanilla-with-session-token", "get-vanilla", "post-header-key-case", "post-header-key-sort",
        "post-header-value-case", "post-sts-header-after", "post-sts-header-before",
        "post-vanilla-empty-query-value", "post-vanilla-query", "post-vanilla",
        "post-x-www-form-urlencoded-parameters", "post-x-www-form-urlencoded",
    ]

    let name: String
    let directory: URL
    let context: Context
    let request: SigV4Request

    init(name: String) throws {
        let suite = RepositoryPaths.sigV4SuiteDirectory
        guard FileManager.default.fileExists(atPath: suite.path) else {
            throw LoadError(
                description: "The SigV4 test suite is missing at \(suite.path). It ships in the shared "
                    + "directory next to the repository (../shared/testdata/aws-sigv4-suite); set "
                    + "CUTOVER_SHARED_DIR to the shared directory if it lives elsewhere.")
        }
        self.name = name
        directory = suite.appendingPathComponent(name)
        context = try JSONDecoder().decode(
            Context.self, from: Data(contentsOf: directory.appendingPathComponent("context.json")))
        request = try Self.parseRequest(Self.read(directory.appendingPathComponent("request.txt")))
    }

    /// An expected-output file, byte for byte.
    func expected(_ file: String) throws -> String {
        try Self.read(directory.appendingPathComponent(file))
    }

    var credentials: AWSCredentials {
        AWSCredentials(
            accessKeyId: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
            sessionToken: context.credentials.token)
    }

    var options: SigV4Options {
        // The suite's service normalises (unless told not to) and always encodes the path once
        // more; `sign_body` is the signed x-amz-content-sha256 header.
        SigV4Options(
            normalizePath: context.normalize, doubleEncodePath: true, addContentSHA256Header: context.sign_body,
            signSessionToken: !(context.omit_session_token ?? false))
    }

    var signer: SigV4Signer {
        SigV4Signer(service: context.service, region: context.region, options: options, keyCache: SigningKeyCache())
    }

    var date: Date {
        get throws {
            guard let date = ISO8601DateFormatter().date(from: context.timestamp) else {
                throw LoadError(description: "\(name): bad timestamp \(context.timestamp)")
            }
            return date
        }
    }

    private static func read(_ url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    /// Parses a raw HTTP/1.1 request: request line, header lines (a line starting with space or
    /// tab continues the previous value), then the body after the first empty line. The request
    /// target's query is percent-decoded into pairs, because the signer encodes them itself.
    static func parseRequest(_ text: String) throws -> SigV4Request {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let head: Substring
        let body: Substring
        if let blank = normalized.range(of: "\n\n") {
            head = normalized[..<blank.lowerBound]
            body = normalized[blank.upperBound...]
        } else {
            head = normalized.hasSuffix("\n") ? normalized.dropLast() : normalized[...]
            body = ""
        }
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { throw LoadError(description: "empty request") }
        let requestLine = lines.removeFirst()
        // The target may contain spaces (get-space-*): method is before the first space, the
        // HTTP version after the last.
        guard let firstSpace = requestLine.firstIndex(of: " "), let lastSpace = requestLine.lastIndex(of: " "),
            firstSpace < lastSpace
        else { throw LoadError(description: "bad request line: \(requestLine)") }
        let method = String(requestLine[..<firstSpace])
        let target = requestLine[requestLine.index(after: firstSpace)..<lastSpace]

        var path = String(target)
        var query: [(name: String, value: String)] = []
        if let question = target.firstIndex(of: "?") {
            path = String(target[..<question])
            let rawQuery = target[target.index(after: question)...]
            for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count > 1 ? String(parts[1]) : ""
                query.append((SigV4URIEncoding.decode(String(parts[0])), SigV4URIEncoding.decode(value)))
            }
        }

        var headers: [(name: String, value: String)] = []
        for line in lines {
            if line.first == " " || line.first == "\t" {
                guard !headers.isEmpty else { throw LoadError(description: "continuation before any header") }
                headers[headers.count - 1].value += "\n" + line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { throw LoadError(description: "bad header: \(line)") }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        return SigV4Request(
            method: method, path: path, query: query, headers: headers, payload: .bytes(Data(body.utf8)))
    }
}
