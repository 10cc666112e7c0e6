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
        body = Data(bytes[bodyStart...])
        // Lines are cut on bytes, a CR before each LF dropped. Not on Characters: there `\r\n` is
        // one Character, so a lone CR before a line break would swallow the break (which once
        // put a line feed into a request path here, and looked like a signer bug).
        var lines = bytes[..<headEnd].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
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
