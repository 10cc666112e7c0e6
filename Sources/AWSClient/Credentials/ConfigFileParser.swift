/// The INI dialect of `~/.aws/config` and `~/.aws/credentials`, as botocore reads it:
///
/// - `[section]` headers; anything after the closing `]` is ignored (a trailing comment).
/// - `key = value` or `key: value`; keys are lower-cased, keys and values trimmed.
/// - Whole-line comments start with `#` or `;`. Values keep everything else (no inline comments).
/// - A property with an empty value followed by indented `subkey = value` lines holds
///   sub-properties (`s3 =\n  endpoint_url = …`); indented lines after a non-empty value continue it.
/// - A duplicate section or a duplicate key within one section is an error, as in botocore.
///
/// Errors name the file and line and never quote the line: it may hold a secret.
struct ConfigFileParser {
    struct Section: Equatable {
        var header: String
        var line: Int
        var properties: [String: String] = [:]
        var subProperties: [String: [String: String]] = [:]
    }

    let path: String

    func parse(_ text: String) throws -> [Section] {
        var sections: [Section] = []
        var headerLines: [String: Int] = [:]
        var keyLines: [String: Int] = [:]
        var lastKey: String?
        var lastKeyHasValue = false

        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indented = line.first == " " || line.first == "\t"

            if indented, lastKey != nil, !sections.isEmpty {
                let key = lastKey!
                let index = sections.count - 1
                if lastKeyHasValue {
                    sections[index].properties[key, default: ""] += "\n" + trimmed
                    continue
                }
                guard let (subKey, value) = splitProperty(trimmed) else {
                    throw syntax(number, "an indented line under '\(key) =' must be 'name = value'")
                }
                sections[index].subProperties[key, default: [:]][subKey] = value
                continue
            }

            if trimmed.hasPrefix("[") {
                guard let close = trimmed.firstIndex(of: "]") else {
                    throw syntax(number, "section header has no closing ']'")
                }
                let header = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingWhitespace()
                guard !header.isEmpty else { throw syntax(number, "empty section header '[]'") }
                if let first = headerLines[header] {
                    throw syntax(number, "section [\(header)] already appears on line \(first); merge the two")
                }
                headerLines[header] = number
                sections.append(Section(header: header, line: number))
                keyLines = [:]
                lastKey = nil
                continue
            }

            guard !sections.isEmpty else {
                throw syntax(number, "property before any [section] header")
            }
            guard let (key, value) = splitProperty(trimmed) else {
                throw syntax(number, "expected '[section]', 'name = value' or an indented sub-property")
            }
            if let first = keyLines[key] {
                throw syntax(number, "'\(key)' is already set on line \(first) in [\(sections[sections.count - 1].header)]")
            }
            keyLines[key] = number
            sections[sections.count - 1].properties[key] = value
            lastKey = key
            lastKeyHasValue = !value.isEmpty
        }
        return sections
    }

    /// Splits at the first `=` or `:`, whichever comes first. The key must be non-empty and a
    /// plain token (no spaces), which keeps a stray secret on a line of its own from parsing.
    private func splitProperty(_ text: String) -> (String, String)? {
        guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
        let key = text[..<separator].trimmingWhitespace().lowercased()
        guard !key.isEmpty, !key.contains(where: \.isWhitespace) else { return nil }
        let value = text[text.index(after: separator)...].trimmingWhitespace()
        return (key, value)
    }

    private func syntax(_ line: Int, _ message: String) -> CredentialsError {
        CredentialsError(code: .configFileSyntax, source: "shared config", message: "\(path):\(line): \(message)")
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
