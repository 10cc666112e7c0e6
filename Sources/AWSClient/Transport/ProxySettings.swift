/// Proxy and CA settings, read from the environment the way curl and the AWS SDKs read them:
/// `HTTPS_PROXY`/`https_proxy` for https URLs, `HTTP_PROXY`/`http_proxy` for http URLs, `NO_PROXY`/
/// `no_proxy` for exceptions, and `AWS_CA_BUNDLE` for a private CA. Applied to every transfer
/// explicitly, so the settings in force are the ones this value holds (and tests can inject them).
public struct ProxySettings: Sendable, Equatable {
    public var httpsProxy: String?
    public var httpProxy: String?
    public var noProxy: String?
    public var caBundle: String?

    public init(httpsProxy: String? = nil, httpProxy: String? = nil, noProxy: String? = nil, caBundle: String? = nil) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
        self.caBundle = caBundle
    }

    public static func fromEnvironment(_ env: [String: String]) -> ProxySettings {
        func first(_ names: String...) -> String? {
            names.lazy.compactMap { env[$0] }.first { !$0.isEmpty }
        }
        return ProxySettings(
            httpsProxy: first("HTTPS_PROXY", "https_proxy"), httpProxy: first("http_proxy", "HTTP_PROXY"),
            noProxy: first("NO_PROXY", "no_proxy"), caBundle: first("AWS_CA_BUNDLE"))
    }

    /// The proxy for `url`, or nil for a direct connection (curl applies `noProxy` itself).
    func proxy(for url: String) -> String? {
        // The scheme compared in place: lower-casing the whole URL allocated on every request.
        var scheme = url.utf8.prefix(6).makeIterator()
        for expected in "https:".utf8 {
            // `expected` is lower-case: a letter matches either case, ":" only itself.
            guard let byte = scheme.next(), byte == expected || (expected != UInt8(ascii: ":") && byte | 0x20 == expected)
            else { return httpProxy }
        }
        return httpsProxy
    }
}
