import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// S3's two timestamp forms: ISO 8601 with milliseconds in XML (`2026-11-21T18:52:25.000Z`) and
/// the HTTP date in headers (`Sat, 21 Nov 2026 18:52:25 GMT`). Formatted by hand from `gmtime_r`:
/// formatters are slow to build and not `Sendable`, and every listing entry needs one.
enum S3Time {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func parts(_ date: Date) -> (tm, Int) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        var time = time_t(seconds)
        var result = tm()
        gmtime_r(&time, &result)
        let millis = Int(((date.timeIntervalSince1970 - seconds) * 1000).rounded(.down))
        return (result, max(0, min(999, millis)))
    }

    private static func pad(_ value: Int32, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    static func iso8601(_ date: Date) -> String {
        let (t, millis) = parts(date)
        return "\(pad(t.tm_year + 1900, 4))-\(pad(t.tm_mon + 1, 2))-\(pad(t.tm_mday, 2))T"
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }

    static func httpDate(_ date: Date) -> String {
        let (t, _) = parts(date)
        return "\(days[Int(t.tm_wday)]), \(pad(t.tm_mday, 2)) \(months[Int(t.tm_mon)]) \(pad(t.tm_year + 1900, 4)) "
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)) GMT"
    }

    /// Parses an ISO 8601 timestamp as S3 accepts it in headers and documents
    /// (`x-amz-object-lock-retain-until-date`, `<RetainUntilDate>`), with or without fractions.
    static func parseISO8601(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
