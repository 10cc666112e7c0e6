import Foundation

/// The journal's one text form of a wall-clock time: ISO-8601 in UTC with exactly three
/// fractional digits, `2026-12-01T01:00:00.000Z`.
///
/// The text is what is stored and what is hashed, so it has to be reproducible from the `Date`
/// a `JournalRecord` carries. Times are therefore rounded to the nearest millisecond on the way
/// in (`normalized`), and a normalized `Date` always formats back to the same text. Formatting is
/// done with integer calendar arithmetic rather than a `DateFormatter`, so it does not depend on
/// locale, time zone or Foundation version.
public enum JournalTimestamp {
    /// The times the text form can express: years 0001 to 9999, in milliseconds since the epoch.
    public static let representableMilliseconds: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// Whether `date` lies in years 0001–9999. `Journal.append` rejects anything else rather than
    /// store a time the text form cannot round-trip.
    public static func isRepresentable(_ date: Date) -> Bool {
        let scaled = (date.timeIntervalSince1970 * 1000).rounded()
        return scaled.isFinite && scaled >= Double(representableMilliseconds.lowerBound)
            && scaled <= Double(representableMilliseconds.upperBound)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z, rounded to nearest and clamped to
    /// `representableMilliseconds`.
    public static func milliseconds(_ date: Date) -> Int64 {
        let scaled = (date.timeIntervalSince1970 * 1000).rounded()
        guard scaled.isFinite else { return 0 }
        let bounds = representableMilliseconds
        return Int64(min(max(scaled, Double(bounds.lowerBound)), Double(bounds.upperBound)))
    }

    /// `date` rounded to the nearest millisecond: the value a record stores.
    public static func normalized(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    /// `2026-12-01T01:00:00.000Z` for `date`, rounded to the nearest millisecond.
    public static func format(_ date: Date) -> String {
        let ms = milliseconds(date)
        let (secondsSinceEpoch, millis) = floorDivide(ms, 1000)
        let (days, secondOfDay) = floorDivide(secondsSinceEpoch, 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(millis, 3) + "Z"
    }

    /// Parses exactly the form `format` produces; anything else (other offsets, other precision)
    /// is `nil`, because a journal never stores anything else.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes[19] == UInt8(ascii: "."), bytes[23] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let millis = number(20..<23), (1...12).contains(month), day >= 1,
            day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let ms = ((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000) + millis
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    // Howard Hinnant's days-from-civil and civil-from-days, proleptic Gregorian calendar.

    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = floorDivide(z, 146_097).quotient
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400).quotient
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = a >= 0 ? a / b : (a - b + 1) / b
        return (quotient, a - quotient * b)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
