import Foundation
import Runbook
import Yams

/// Typed reads of YAML nodes that record a located problem instead of failing, so the loader keeps
/// going and the operator sees every problem in one pass. String values have `${…}` expanded.
struct ConfigReader {
    typealias Entry = (key: String, keyNode: Node, value: Node)

    let file: String
    let environment: [String: String]
    private(set) var diagnostics: [ConfigDiagnostic] = []

    init(file: String, environment: [String: String]) {
        self.file = file
        self.environment = environment
    }

    func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func report(_ code: String, _ message: String, hint: String? = nil, at node: Node) {
        report(code, message, hint: hint, at: location(node))
    }

    mutating func report(_ code: String, _ message: String, hint: String? = nil, at location: SourceLocation) {
        diagnostics.append(ConfigDiagnostic(code: code, message: message, hint: hint, location: location))
    }

    /// In file order, as an editor lists them.
    var sorted: [ConfigDiagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (la, lb) = (a.element.location, b.element.location)
            if la.line != lb.line { return la.line < lb.line }
            if la.column != lb.column { return la.column < lb.column }
            return a.offset < b.offset
        }.map(\.element)
    }

    // MARK: Shapes

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return isNull(node) ? "nothing" : "'\(scalar.string)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    /// The entries of a section; an empty section (`metrics:` with nothing under it) has none.
    mutating func section(_ node: Node, _ what: String, example: String) -> [Entry]? {
        if Self.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            report(
                "wrong-type", "'\(what)' must be a mapping of 'key: value' pairs, not \(Self.describe(node))",
                hint: "write it like \(example)", at: node)
            return nil
        }
        return mapping.map { pair in
            (key: pair.key.scalar?.string ?? Self.describe(pair.key), keyNode: pair.key, value: pair.value)
        }
    }

    mutating func unknownKey(_ entry: Entry, in section: String?, allowed: [String]) {
        let whereText = section.map { " in '\($0)'" } ?? ""
        let listing = section.map { "keys of '\($0)'" } ?? "top-level keys"
        report(
            "unknown-key", "unknown key '\(entry.key)'\(whereText)",
            hint: ConfigHints.didYouMean(entry.key, among: allowed, listing: listing), at: entry.keyNode)
    }

    mutating func missingKey(_ key: String, in what: String, at node: Node) {
        report("missing-key", "'\(what)' has no '\(key)'", hint: "add '\(key):'; it is required", at: node)
    }

    // MARK: Scalars

    /// A single value with `${…}` expanded.
    mutating func text(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            report("wrong-type", "'\(what)' must be a single value, not \(Self.describe(node))", at: node)
            return nil
        }
        switch ConfigVariables.expand(scalar.string, environment: environment) {
        case .success(let value):
            return value
        case .failure(.unset(let name)):
            report(
                "unset-variable", "'\(what)' uses ${\(name)}, which is not set",
                hint: "systemd sets it from the unit's \(Self.unitSetting(for: name)); outside systemd, export it or write the path",
                at: node)
        case .failure(.unknown(let name)):
            report(
                "unknown-variable", "'\(what)' uses ${\(name)}, which is not expanded",
                hint: "only \(ConfigHints.list(ConfigVariables.allowed.map { "${\($0)}" })) are", at: node)
        case .failure(.unterminated):
            report("bad-value", "'\(what)' has a '${' without its closing '}'", at: node)
        }
        return nil
    }

    static func unitSetting(for variable: String) -> String {
        switch variable {
        case "CREDENTIALS_DIRECTORY": return "LoadCredential="
        case "STATE_DIRECTORY": return "StateDirectory="
        default: return "RuntimeDirectory="
        }
    }

    /// nil for `null`/`~`/nothing (the value is then "none", not the default).
    mutating func optionalText(_ node: Node, _ what: String) -> String?? {
        if Self.isNull(node) { return .some(nil) }
        return text(node, what).map { .some($0) }
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard let text = text(node, what) else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            report("wrong-type", "'\(what)' must be true or false, not '\(text)'", at: node)
            return nil
        }
    }

    mutating func number(_ node: Node, _ what: String) -> Double? {
        guard let text = text(node, what) else { return nil }
        if let number = Double(text), number.isFinite { return number }
        report("wrong-type", "'\(what)' must be a number, not '\(text)'", at: node)
        return nil
    }

    /// A positive duration (`90s`, `30m`, `1h`), in seconds.
    mutating func duration(_ node: Node, _ what: String) -> Double? {
        guard let text = text(node, what) else { return nil }
        guard let duration = RunbookDuration.parse(text) else {
            var hint = "write \(RunbookDuration.acceptedForms)"
            if Double(text) != nil { hint = "add a unit, e.g. '\(text)s' for seconds" }
            report("bad-duration", "'\(what)' is not a duration: '\(text)'", hint: hint, at: node)
            return nil
        }
        let components = duration.components
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        guard seconds > 0 else {
            report("bad-value", "'\(what)' must be longer than 0s", at: node)
            return nil
        }
        return seconds
    }

    /// A list of single values; one value stands for a list of one, nothing for an empty list.
    mutating func strings(_ node: Node, _ what: String) -> [(value: String, node: Node)]? {
        switch node {
        case .sequence(let items):
            var values: [(value: String, node: Node)] = []
            var ok = true
            for item in items {
                if let value = text(item, "each item of \(what)") { values.append((value, item)) } else { ok = false }
            }
            return ok ? values : nil
        case .scalar:
            if Self.isNull(node) { return [] }
            return text(node, what).map { [($0, node)] }
        default:
            report("wrong-type", "'\(what)' must be a list, not \(Self.describe(node))", hint: "write [a, b]", at: node)
            return nil
        }
    }

    // MARK: Values with a form

    /// An absolute path (cutoverd's working directory is `/` under systemd, so a relative path would
    /// quietly mean something else than it does in a shell).
    mutating func path(_ node: Node, _ what: String) -> String? {
        guard let path = text(node, what) else { return nil }
        return checkedPath(path, what, at: node)
    }

    mutating func checkedPath(_ path: String, _ what: String, at node: Node) -> String? {
        guard path.hasPrefix("/") else {
            report(
                "bad-value", "'\(what)' must be an absolute path, not '\(path)'",
                hint: "start it with '/' or with ${STATE_DIRECTORY}, ${RUNTIME_DIRECTORY} or ${CREDENTIALS_DIRECTORY}",
                at: node)
            return nil
        }
        return path
    }

    /// An `http` or `https` URL with a host. With `secret`, the value is never echoed (webhook URLs
    /// carry their token in the path).
    mutating func url(_ node: Node, _ what: String, secret: Bool = false) -> String? {
        guard let text = text(node, what) else { return nil }
        if ConfigURL.isHTTP(text) { return text }
        let shown = secret ? "" : " '\(text)'"
        report(
            "bad-url", "'\(what)'\(shown) is not an http(s) URL with a host",
            hint: secret
                ? "write https://host/path (the value is not shown: a webhook URL usually carries a secret)"
                : "write e.g. http://127.0.0.1:4566 or https://s3.eu-west-1.amazonaws.com",
            at: node)
        return nil
    }
}

extension ConfigReader {
    /// An AWS endpoint: an http(s) URL, and https unless the host is this machine. Requests to it
    /// carry AWS signatures and session tokens, which must not cross a network in clear text;
    /// plain http is for a simulator on 127.0.0.1. TLS certificates are always verified; no key
    /// turns that off.
    mutating func awsEndpointURL(_ node: Node, _ what: String) -> String? {
        guard let url = url(node, what) else { return nil }
        guard ConfigURL.isPlainHTTP(url), !ConfigURL.isLoopback(url) else { return url }
        report(
            "insecure-url",
            "'\(what)' is plain http to \(URLComponents(string: url)?.host ?? url), which is not this machine: "
                + "AWS credentials and session tokens would cross the network unencrypted",
            hint: "use https:// (the certificate is verified); plain http:// is allowed only for 127.0.0.1, ::1 or localhost",
            at: node)
        return nil
    }
}

/// The URL rules of the configuration: scheme, host, loopback.
enum ConfigURL {
    static func isPlainHTTP(_ text: String) -> Bool {
        URLComponents(string: text)?.scheme?.lowercased() == "http"
    }

    static func isHTTP(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    /// 127.0.0.0/8, ::1 or localhost: addresses that never leave this machine.
    static func isLoopback(_ text: String) -> Bool {
        guard let host = URLComponents(string: text)?.host?.lowercased() else { return false }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
