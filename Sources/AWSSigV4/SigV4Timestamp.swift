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
            guard let out = bytes.baseAddress else { return 0 }
            if (0...9999).contains(year) {
                // Two digits per lookup (issue 19: a digit at a time, with a division and a
                // remainder each, was half of the timestamp's instructions).
                Self.writePair(Int(year) / 100, to: out)
                Self.writePair(Int(year) % 100, to: out + 2)
            } else {
                Self.write(Int(year), digits: 4, into: bytes, at: 0)
            }
            Self.writePair(month, to: out + 4)
            Self.writePair(day, to: out + 6)
            out[8] = UInt8(ascii: "T")
            Self.writePair(secondOfDay / 3600, to: out + 9)
            Self.writePair(secondOfDay / 60 % 60, to: out + 11)
            Self.writePair(secondOfDay % 60, to: out + 13)
            out[15] = UInt8(ascii: "Z")
            stamp = String(decoding: UnsafeBufferPointer(start: out, count: 8), as: UTF8.self)
            return 16
        }
        dateStamp = stamp
    }

    /// Writes `value` (0...99) as two digits. The table is a `StaticString` literal in the
    /// function, not a global, so reading it costs no lazy-initialisation check.
    @inline(__always)
    private static func writePair(_ value: Int, to out: UnsafeMutablePointer<UInt8>) {
        let pairs: StaticString = """
            00010203040506070809101112131415161718192021222324252627282930313233343536373839\
            40414243444546474849505152535455565758596061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899
            """
        precondition(value >= 0 && value < 100, "SigV4Timestamp: a two-digit field out of range")
        let digits = pairs.utf8Start + value &* 2
        out[0] = digits[0]
        out[1] = digits[1]
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
