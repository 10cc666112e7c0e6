import Foundation

/// Looks for secrets (AWS access key IDs, secret access keys, session tokens) in files and text:
/// the test of DESIGN.md's invariant 7, "secrets never reach logs, the journal, or the control
/// API", run over a whole run's journal, its export, its reports and its logs.
///
/// Each secret is searched for as given and in the forms it would take inside JSON
/// (`/` escaped as `\/`), a URL (percent-encoded) or base64, so a leak through an encoder is
/// found too. Findings name the secret and where, never the secret's value.
public struct SecretScanner: Sendable {
    /// One secret to look for.
    public struct Secret: Sendable, Hashable {
        /// What to call it in a finding (`legacy secret access key`).
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Where a secret was found.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public var secret: String
        /// The form it was found in (`as is`, `JSON-escaped`, `percent-encoded`, `base64`).
        public var form: String
        public var source: String
        /// 1-based line of the first occurrence in `source`.
        public var line: Int

        public var description: String { "\(secret) (\(form)) in \(source), line \(line)" }
    }

    public var secrets: [Secret]

    /// Secrets shorter than this are refused by `init`: a short value matches by accident.
    public static let minimumLength = 8

    public init(secrets: [Secret]) {
        self.secrets = secrets.filter { $0.value.count >= Self.minimumLength }
    }

    /// The searchable forms of a value.
    static func forms(of value: String) -> [(form: String, text: String)] {
        var forms: [(String, String)] = [("as is", value)]
        let json = value.replacingOccurrences(of: "/", with: "\\/")
        if json != value { forms.append(("JSON-escaped", json)) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        if let encoded = value.addingPercentEncoding(withAllowedCharacters: allowed), encoded != value {
            forms.append(("percent-encoded", encoded))
        }
        // Base64 of the value at each of the three alignments it can take inside a longer text.
        for offset in 0..<3 {
            let padded = Data(repeating: 0x20, count: offset) + Data(value.utf8)
            var encoded = padded.base64EncodedString()
            // Drop the characters that depend on the padding and on what follows.
            let skip = offset == 0 ? 0 : (offset == 1 ? 2 : 3)
            encoded = String(encoded.dropFirst(skip).dropLast(4))
            if encoded.count >= Self.minimumLength { forms.append(("base64", encoded)) }
        }
        return forms
    }

    /// Findings in `text`, attributed to `source`.
    public func scan(_ text: String, source: String) -> [Finding] {
        var findings: [Finding] = []
        for secret in secrets {
            for (form, needle) in Self.forms(of: secret.value) {
                guard let range = text.range(of: needle) else { continue }
                let line = text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                findings.append(Finding(secret: secret.name, form: form, source: source, line: line))
                break
            }
        }
        return findings
    }

    /// Findings in the files at `paths` (binary files such as SQLite databases included: text is
    /// stored in them as UTF-8). A file that cannot be read is an error, not a clean result.
    public func scan(files paths: [String]) throws(AuditError) -> [Finding] {
        var findings: [Finding] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AuditError(.io, "cannot read the file to scan it for secrets", path: path)
            }
            findings += scan(String(decoding: data, as: UTF8.self), source: path)
        }
        return findings
    }

    /// Findings in every regular file under `directory` (a state directory: journal, its WAL,
    /// anchor log, key file excluded by name since it *is* a secret).
    public func scan(
        directory: String, excluding excluded: Set<String> = [AuditKey.fileName]
    ) throws(AuditError)
        -> [Finding]
    {
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: directory) else {
            throw AuditError(.io, "cannot list the directory to scan it for secrets", path: directory)
        }
        var files: [String] = []
        for name in names.sorted() where !excluded.contains((name as NSString).lastPathComponent) {
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return try scan(files: files)
    }
}
