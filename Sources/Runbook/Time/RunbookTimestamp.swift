import Foundation

/// ISO-8601 timestamps as runbooks write them for the window and for absolute waits:
/// `2026-12-01T01:00:00+09:00`, `2026-11-30T16:00:00Z`, optionally with fractional seconds.
/// The offset is required: a maintenance window in "local time" of whoever reads the file is how
/// cutovers start an hour early.
public enum RunbookTimestamp {
    /// The form `parse` accepts, for hints.
    public static let acceptedForms =
        "YYYY-MM-DDThh:mm:ss with an offset, e.g. `2026-12-01T01:00:00+09:00` or `2026-11-30T16:00:00Z`"

    /// Parses an ISO-8601 date-time with `Z` or a `±hh:mm` offset; nil for anything else,
    /// including impossible dates such as February 30th.
    public static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        var i = 0

        func number(_ width: Int) -> Int? {
            guard i + width <= s.count else { return nil }
            var value = 0
            for c in s[i..<(i + width)] {
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            i += width
            return value
        }
        func literal(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }

        guard let year = number(4), literal(UInt8(ascii: "-")), let month = number(2),
            literal(UInt8(ascii: "-")), let day = number(2), literal(UInt8(ascii: "T")),
            let hour = number(2), literal(UInt8(ascii: ":")), let minute = number(2),
            literal(UInt8(ascii: ":")), let second = number(2)
        else { return nil }

        var fraction = 0.0
        if literal(UInt8(ascii: ".")) {
            var scale = 0.1
            var digits = 0
            while i < s.count, s[i] >= 48, s[i] <= 57 {
                fraction += Double(s[i] - 48) * scale
                scale /= 10
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
        }

        var offsetSeconds = 0
        if literal(UInt8(ascii: "Z")) {
            offsetSeconds = 0
        } else if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2), literal(UInt8(ascii: ":")), let om = number(2), oh <= 23, om <= 59 else {
                return nil
            }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour <= 23,
            minute <= 59, second <= 59
        else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `date` in UTC with `Z`, with milliseconds only when it has a fraction of a second.
    public static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var milliseconds = Int(((interval - Double(seconds)) * 1000).rounded())
        if milliseconds == 1000 {
            seconds += 1
            milliseconds = 0
        }
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        text += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if milliseconds != 0 { text += ".\(pad(milliseconds, 3))" }
        return text + "Z"
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no calendar objects,
    // so parsing does not depend on the machine's time zone or locale.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
