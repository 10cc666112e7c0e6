import AWSClient
import Foundation

/// A credentials file of `KEY=VALUE` lines, as systemd's `LoadCredential=`/`SetCredential=` hand
/// it to the service (`${CREDENTIALS_DIRECTORY}/aws`):
///
///     AWS_ACCESS_KEY_ID=AKIA…
///     AWS_SECRET_ACCESS_KEY=…
///     AWS_SESSION_TOKEN=…        # optional
///
/// Blank lines and `#` comments are skipped, `export ` before a key and quotes around a value are
/// allowed. Errors name the file, the line and the key, never a value: the file holds secrets.
enum CredentialFile {
    static let source = "credentials file"
    static let keys = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ACCOUNT_ID"]

    static func read(path: String) throws(CredentialsError) -> AWSCredentials {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "is not readable UTF-8 text for this user" : "does not exist"
            throw CredentialsError(
                code: .invalidConfiguration, source: "\(source) \(path)",
                message:
                    "\(path) \(reason); with systemd, add LoadCredential=aws:/etc/cutover/aws-credentials to the unit and set aws.credentials to file:${CREDENTIALS_DIRECTORY}/aws"
            )
        }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws(CredentialsError) -> AWSCredentials {
        func failure(_ message: String) -> CredentialsError {
            CredentialsError(code: .invalidConfiguration, source: "\(source) \(path)", message: "\(path): \(message)")
        }
        var values: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw failure("line \(index + 1) is not KEY=VALUE (its text is not shown: it may be a secret)")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard keys.contains(key) else {
                let shown = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? "'\(key)'" : "(not shown)"
                throw failure("line \(index + 1) sets an unknown key \(shown); expected \(keys.joined(separator: ", "))")
            }
            guard values[key] == nil else { throw failure("line \(index + 1) sets \(key) a second time") }
            values[key] = value
        }
        let keyId = values["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = values["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        guard let keyId, let secret else {
            let missing = [keyId == nil ? "AWS_ACCESS_KEY_ID" : nil, secret == nil ? "AWS_SECRET_ACCESS_KEY" : nil].compactMap { $0 }
            throw failure("no \(missing.joined(separator: " and ")); the file needs both")
        }
        let token = values["AWS_SESSION_TOKEN"] ?? values["AWS_SECURITY_TOKEN"]
        return AWSCredentials(
            accessKeyId: keyId, secretAccessKey: secret, sessionToken: token.flatMap { $0.isEmpty ? nil : $0 },
            accountId: values["AWS_ACCOUNT_ID"].flatMap { $0.isEmpty ? nil : $0 })
    }
}
