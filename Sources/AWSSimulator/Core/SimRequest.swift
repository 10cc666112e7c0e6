import Foundation

/// One HTTP request as the simulator received it, before any interpretation. The same value
/// comes from the loopback HTTP server and from in-process callers, so both paths share every
/// rule (authentication, faults, services).
public struct SimRequest: Sendable {
    public var method: String
    /// The path exactly as received (still percent-encoded): SigV4 verification needs it raw.
    public var path: String
    /// The query string exactly as received, without `?` (empty when absent).
    public var rawQuery: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(method: String, path: String, rawQuery: String = "", headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    /// Splits a request target (`/a/b?x=1`) into path and raw query.
    public init(method: String, target: String, headers: [(name: String, value: String)], body: Data) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(
            method: method, path: String(parts.first ?? "/"), rawQuery: parts.count > 1 ? String(parts[1]) : "", headers: headers,
            body: body)
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { Self.sameHeaderName($0.name, name) }?.value
    }

    /// Header names are ASCII tokens (RFC 9110 §5.1), so they compare byte by byte with ASCII
    /// letters folded, without the two lower-cased copies per header `lowercased()` made on every
    /// lookup (a few dozen lookups per request). The client has the same rule in
    /// `HTTPHeaders.sameName`; the simulator keeps its own because it depends on nothing of the
    /// client it tests (only on AWSSigV4, to check signatures).
    static func sameHeaderName(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                for index in x.indices where x[index] != y[index] {
                    guard x[index] | 0x20 == y[index] | 0x20, (0x61...0x7A).contains(x[index] | 0x20) else { return false }
                }
                return true
            }
        }
    }

    /// Query parameters, percent-decoded (`+` is a literal plus in URLs, as S3 reads it).
    public var queryItems: [(name: String, value: String)] {
        guard !rawQuery.isEmpty else { return [] }
        return rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: SimPercent.decode(String(kv[0])), value: kv.count > 1 ? SimPercent.decode(String(kv[1])) : "")
        }
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? { queryItems.first { $0.name == name }?.value }

    /// Form-encoded body parameters (Query protocol: `+` is a space).
    public var formItems: [(name: String, value: String)] {
        String(decoding: body, as: UTF8.self).split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func d(_ s: Substring) -> String { SimPercent.decode(s.replacingOccurrences(of: "+", with: " ")) }
            return (name: d(kv[0]), value: kv.count > 1 ? d(kv[1]) : "")
        }
    }
}

/// Percent-decoding that never fails: a malformed escape is kept as it is.
public enum SimPercent {
    public static func decode(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let hi = hex(it[it.startIndex]), let lo = hex(it[it.startIndex + 1]) {
                bytes.append(hi << 4 | lo)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 65...70: c - 55
        case 97...102: c - 87
        default: nil
        }
    }
}
