import Foundation

/// ANSI styling for one output stream: on only when the stream is a terminal, `NO_COLOR` is not
/// set (https://no-color.org) and `TERM` is not `dumb`, so pipes, files and CI logs stay plain.
struct Style: Sendable {
    let enabled: Bool

    static let standardOutput = Style(descriptor: 1)
    static let standardError = Style(descriptor: 2)

    init(enabled: Bool) { self.enabled = enabled }

    init(descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) {
        enabled = isatty(descriptor) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func cyan(_ text: String) -> String { wrap(text, "36") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
