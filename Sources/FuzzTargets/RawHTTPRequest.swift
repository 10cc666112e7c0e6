import Foundation

/// An HTTP/1.1 request as text, split the way the fuzz corpus writes it: request line, header
/// lines (a line starting with a space or tab continues the previous value), an empty line, then
/// the body. Lenient on purpose: it only cuts the fuzzer's bytes into the pieces the code under
/// test takes, and is not itself under test.
struct RawHTTPRequest {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]
    var body: Data

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        // The head ends at the first empty line (CRLF or LF); the body is everything after it.
        var headEnd = bytes.count
        var bodyStart = bytes.count
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                    headEnd = index
                    bodyStart = index + 2
                    break
                }
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                    headEnd = index
                    bodyStart = index + 3
                    break
                }
            }
            index += 1
        }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        body = Data(bytes[bodyStart...])
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst()
        // The target may contain spaces: the method ends at the first space, the version starts
        // after the last.
        guard let firstSpace = requestLine.firstIndex(of: " ") else { return nil }
        method = String(requestLine[..<firstSpace])
        let rest = requestLine[requestLine.index(after: firstSpace)...]
        if let lastSpace = rest.lastIndex(of: " ") {
            target = String(rest[..<lastSpace])
        } else {
            target = String(rest)
        }
        headers = []
        for line in lines {
            if line.first == " " || line.first == "\t" {
                guard !headers.isEmpty else { continue }
                headers[headers.count - 1].value += "\n" + line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
    }
}
