import Foundation

/// Rewrites a captured configuration for the target account: KMS key references first (a key
/// ARN of the source account must become a key of the target, not the same key ID under another
/// account), then account IDs. What no mapping covers is reported, never silently kept.
struct S3AccountRewriter: Sendable {
    /// Old account ID → new account ID (the source → target pair is always included).
    var accounts: [String: String]
    /// Old key ARN, ID or alias → new key ARN.
    var kmsKeys: [String: String]
    var sourceAccountId: String?
    var targetAccountId: String?

    func rewrite(_ document: String) -> String {
        var text = document
        for (old, new) in kmsKeys.sorted(by: { $0.key.count > $1.key.count }) {
            text = text.replacingOccurrences(of: old, with: new)
        }
        for (old, new) in accounts where old != new {
            text = Self.replaceAccountId(old, with: new, in: text)
        }
        return text
    }

    /// KMS key ARNs in `document` (before rewriting) that belong to the source account and that
    /// `kmsKeys` does not map: re-pointing them at the target account would name a key that does
    /// not exist there.
    func unmappedKMSKeys(in document: String) -> [String] {
        guard let sourceAccountId else { return [] }
        let pattern = #"arn:aws[a-z-]*:kms:[a-z0-9-]+:\#(sourceAccountId):(key|alias)/[A-Za-z0-9/_-]+"#
        return Self.matches(pattern, in: document).filter { kmsKeys[$0] == nil }
    }

    /// 12-digit IDs left in a rewritten document that are neither the target account nor the
    /// target of a mapping.
    func unmappedAccountIds(in rewritten: String) -> [String] {
        let known = Set(accounts.values).union(targetAccountId.map { [$0] } ?? [])
        return Self.matches(#"(?<![0-9])[0-9]{12}(?![0-9])"#, in: rewritten).filter { !known.contains($0) }
    }

    static func replaceAccountId(_ old: String, with new: String, in text: String) -> String {
        text.replacingOccurrences(of: #"(?<![0-9])\#(old)(?![0-9])"#, with: new, options: .regularExpression)
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        var seen: [String] = []
        for match in regex.matches(in: text, range: range) {
            guard let found = Range(match.range, in: text) else { continue }
            let value = String(text[found])
            if !seen.contains(value) { seen.append(value) }
        }
        return seen
    }
}
