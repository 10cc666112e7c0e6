import Foundation

/// Turns an AWS error response into code, message and request ID, per wire protocol. It never
/// throws: an error page that is HTML, empty, truncated or otherwise not what AWS sends still
/// yields a code derived from the HTTP status and a message that says what arrived.
public enum AWSErrorDecoder {
    public struct Decoded: Sendable, Equatable {
        public var code: String
        public var message: String
        public var requestId: String?
        public var extendedRequestId: String?
    }

    public static func decode(_ response: HTTPResponse, wireProtocol: AWSService.WireProtocol) -> Decoded {
        let headerId = requestId(in: response.headers)
        let extended = response.headers["x-amz-id-2"]
        let fallback = statusCode(response.status)
        guard !response.body.isEmpty else {
            // HEAD responses and some 5xx come without a body.
            return Decoded(
                code: fallback, message: HTTPStatusText.reason(response.status), requestId: headerId, extendedRequestId: extended)
        }
        switch wireProtocol {
        case .json:
            if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
                // A type that shortens to nothing (`""`, `"#"`, `"prefix#"`) names no error: fall
                // back as if it were absent, so an error never has an empty code (found by fuzzing).
                let candidates = [object["__type"] as? String, response.headers["x-amzn-ErrorType"]]
                let code = candidates.lazy.compactMap { $0.map(shortCode) }.first { !$0.isEmpty } ?? fallback
                let message = (object["message"] as? String) ?? (object["Message"] as? String) ?? ""
                return Decoded(code: code, message: message, requestId: headerId, extendedRequestId: extended)
            }
        case .restXML, .query:
            if let root = try? XMLNode.parse(response.body) {
                // S3: <Error>…</Error>; Query: <ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>.
                let error = root.localName == "Error" ? root : (root.child("Error") ?? root.path("Errors", "Error"))
                if let error, let code = error.string("Code"), !code.isEmpty {
                    let id = error.string("RequestId") ?? root.string("RequestId") ?? root.string("RequestID") ?? headerId
                    return Decoded(
                        code: code, message: error.string("Message") ?? "", requestId: id,
                        extendedRequestId: error.string("HostId") ?? extended)
                }
            }
        }
        let snippet = bodySnippet(response)
        return Decoded(
            code: fallback,
            message: "\(HTTPStatusText.reason(response.status)); the error body is not an AWS error document (\(snippet))",
            requestId: headerId, extendedRequestId: extended)
    }

    /// The request ID from whichever header the service uses.
    public static func requestId(in headers: HTTPHeaders) -> String? {
        headers["x-amz-request-id"] ?? headers["x-amzn-RequestId"] ?? headers["x-amzn-requestid"]
    }

    /// `com.amazonaws.kms#NotFoundException:http://…` → `NotFoundException`.
    static func shortCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return String(code)
    }

    /// The code used when the body names none: S3's own names for the common statuses.
    static func statusCode(_ status: Int) -> String {
        switch status {
        case 301: "PermanentRedirect"
        case 307: "TemporaryRedirect"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 405: "MethodNotAllowed"
        case 409: "Conflict"
        case 412: "PreconditionFailed"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }

    static func bodySnippet(_ response: HTTPResponse) -> String {
        let type = response.headers["Content-Type"] ?? "no content type"
        let text = String(decoding: response.body.prefix(120), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return "\(type), \(response.body.count) bytes: \"\(text)\(response.body.count > 120 ? "…" : "")\""
    }
}

enum HTTPStatusText {
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 301: "Moved Permanently"
        case 307: "Temporary Redirect"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 412: "Precondition Failed"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "HTTP \(status)"
        }
    }
}
