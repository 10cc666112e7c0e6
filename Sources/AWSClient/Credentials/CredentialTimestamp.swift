import Foundation

/// Parses the expiry timestamps credential sources send: ISO 8601 in UTC, with or without
/// fractional seconds (`2026-12-01T01:00:00Z`, `2026-12-01T01:00:00.123Z`, `…+00:00`).
enum CredentialTimestamp {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return nil
    }

    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
