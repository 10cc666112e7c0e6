import Foundation

/// Writes to standard output and standard error without buffering surprises: `status --watch`
/// redraws must appear at once, and an error must not be lost behind buffered output.
enum Console {
    static func out(_ text: String) { write(text, to: 1) }

    /// `text` and a newline on standard output.
    static func line(_ text: String = "") { out(text + "\n") }

    static func error(_ text: String) { write(text, to: 2) }

    /// One `write(2)` loop per text, unbuffered: nothing waits in a stdio buffer when the process
    /// exits or a redraw must show at once.
    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// `cutoverctl: warning: …` on standard error.
    static func warning(_ text: String) {
        error("\(Style.standardError.yellow("cutoverctl: warning:")) \(text)\n")
    }

    /// Pretty-printed JSON of `value` on standard output, with the control API's date format.
    static func json(_ value: some Encodable) throws(CLIFailure) {
        line(try encodeJSON(value))
    }

    static func encodeJSON(_ value: some Encodable) throws(CLIFailure) -> String {
        do {
            return String(decoding: try ControlJSONOutput.encoder.encode(value), as: UTF8.self)
        } catch {
            throw CLIFailure(.daemonError, "cannot encode the output as JSON: \(error)")
        }
    }

    /// Whether standard input is a terminal someone can answer a question on.
    static var canAsk: Bool { isatty(0) == 1 }

    /// Asks `question` on standard error and reads one line from standard input.
    static func ask(_ question: String) -> String? {
        error(question)
        return readLine(strippingNewline: true)
    }
}
