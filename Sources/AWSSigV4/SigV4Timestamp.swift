import Foundation

/// The two renderings of the signing time SigV4 needs, built without a `DateFormatter`
/// (formatters are slow and not free to share across threads).
///
/// Fractional seconds are truncated, as botocore's `strftime` does.
struct SigV4Timestamp: Sendable, Equatable {
    /// `yyyyMMdd'T'HHmmss'Z'`, e.g. `20150830T123600Z`.
    let amzDate: String
    /// `yyyyMMdd`, the credential-scope date.
    let dateStamp: String

    init(_ date: Date) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        // The digits are worked out once, into `amzDate`'s own storage (16 bytes, one
        // allocation); `dateStamp`, eight bytes and so a small inline string, is its first eight
        // (issue 19: 48 of its 933 instructions per signature under callgrind).
        var stamp = ""
        amzDate = String(unsafeUninitializedCapacity: 16) { bytes in
            Self.write(Int(year), digits: 4, into: bytes, at: 0)
            Self.write(month, digits: 2, into: bytes, at: 4)
            Self.write(day, digits: 2, into: bytes, at: 6)
            bytes[8] = UInt8(ascii: "T")
            Self.write(secondOfDay / 3600, digits: 2, into: bytes, at: 9)
            Self.write(secondOfDay / 60 % 60, digits: 2, into: bytes, at: 11)
            Self.write(secondOfDay % 60, digits: 2, into: bytes, at: 13)
            bytes[15] = UInt8(ascii: "Z")
            stamp = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<8]), as: UTF8.self)
            return 16
        }
        dateStamp = stamp
    }

    private static func write(_ value: Int, digits: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var value = value
        for index in stride(from: offset + digits - 1, through: offset, by: -1) {
            bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
    }

    /// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthPrime + 2) / 5 + 1)
        let month = Int(monthPrime < 10 ? monthPrime + 3 : monthPrime - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
