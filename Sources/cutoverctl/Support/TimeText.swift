import Foundation

/// Durations and times as `status`, `runs` and `events` print them.
enum TimeText {
    /// `1h 02m`, `4m 05s`, `12s`, `3d 4h`; negative durations as their magnitude.
    static func duration(_ seconds: Double) -> String {
        let total = Int(abs(seconds).rounded(.down))
        let days = total / 86_400
        let hours = (total % 86_400) / 3_600
        let minutes = (total % 3_600) / 60
        let secs = total % 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h " + pad(minutes) + "m" }
        if minutes > 0 { return "\(minutes)m " + pad(secs) + "s" }
        return "\(secs)s"
    }

    /// `2026-12-01 01:23:45 +09:00` in the local time zone (or `TZ`).
    static func time(_ date: Date) -> String { formatter.string(from: date) }

    /// `01:23:45` in the local time zone.
    static func clock(_ date: Date) -> String { clockFormatter.string(from: date) }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static var formatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        return formatter
    }

    private static var clockFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "HH:mm:ss"
        return formatter
    }
}
