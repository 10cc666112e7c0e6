import Foundation

/// The request target of an HTTP/1.1 request line, split into a percent-decoded path and its
/// query parameters. Pure, so the server's parsing rules are pinned by unit tests.
///
/// `cutoverctl` sends origin-form targets (`/v1/runs/r%2D1?after=3`); an absolute-form target
/// (`http://localhost/v1/health`, as some proxies send) is accepted and its authority ignored.
public struct ControlRequestTarget: Sendable, Equatable {
    /// The percent-decoded path: `/v1/runs/r-1`.
    public var path: String
    /// The decoded query parameters; for a repeated name the last value.
    public var query: [String: String]

    /// Nil when the target is not a path, or its percent-encoding is malformed (`%zz`, a lone
    /// `%`, bytes that are not UTF-8): the server answers 400 rather than guess.
    public init?(_ target: String) {
        var target = Substring(target)
        for scheme in ["http://", "https://"] where target.lowercased().hasPrefix(scheme) {
            let afterScheme = target.dropFirst(scheme.count)
            guard let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else {
                target = "/"
                break
            }
            target = afterScheme[slash...]
            if target.first == "?" { target = "/" + target }
        }
        let rawPath: Substring
        let rawQuery: Substring?
        if let mark = target.firstIndex(of: "?") {
            rawPath = target[..<mark]
            rawQuery = target[target.index(after: mark)...]
        } else {
            rawPath = target
            rawQuery = nil
        }
        // A fragment never reaches a server; if one does, it is not part of the path or query.
        guard rawPath.first == "/", !rawPath.contains("#"), let path = String(rawPath).removingPercentEncoding else { return nil }
        self.path = path
        self.query = [:]
        if let rawQuery {
            let withoutFragment = rawQuery.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for pair in withoutFragment.split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = Self.decodeQueryComponent(parts[0]), !name.isEmpty else { return nil }
                guard let value = parts.count > 1 ? Self.decodeQueryComponent(parts[1]) : "" else { return nil }
                // A repeated parameter: the last one wins, as most servers do.
                self.query[name] = value
            }
        }
    }

    public init(path: String, query: [String: String] = [:]) {
        self.path = path
        self.query = query
    }

    /// Form-style decoding: `+` is a space in a query (curl's `--data-urlencode -G` writes it).
    private static func decodeQueryComponent(_ raw: Substring) -> String? {
        String(raw).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
