import AWSSigV4
import Foundation

/// Value decoding shared by S3's XML documents and response headers. Every function throws
/// `XMLDecodeError` on bad input, which S3Client turns into `MalformedResponse`.
enum S3Decoding {
    /// Checks the document's root element, so an unrelated 2xx body is never taken for an answer.
    /// `alternates` are the `<OperationResponse>` names moto's generic serializer uses where AWS
    /// sends the documented root (botocore ignores the root name, so moto never noticed).
    static func expectRoot(_ node: XMLNode, _ name: String, alternates: String...) throws {
        guard node.localName == name || alternates.contains(node.localName) else {
            throw XMLDecodeError(message: "expected <\(name)>, got <\(node.name)>")
        }
    }

    static func int(_ text: String, _ what: String) throws -> Int {
        guard let value = Int(text) ?? Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw XMLDecodeError(message: "\(what) is not an integer: \"\(text)\"")
        }
        return value
    }

    static func optionalInt(_ node: XMLNode, _ name: String) throws -> Int? {
        try node.string(name).map { try int($0, "<\(name)>") }
    }

    static func bool(_ text: String, _ what: String) throws -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": true
        case "false": false
        default: throw XMLDecodeError(message: "\(what) is not a boolean: \"\(text)\"")
        }
    }

    static func optionalBool(_ node: XMLNode, _ name: String) throws -> Bool? {
        try node.string(name).map { try bool($0, "<\(name)>") }
    }

    /// S3's timestamps in XML: ISO 8601 with or without fractional seconds.
    static func timestamp(_ text: String, _ what: String) throws -> Date {
        if let date = utcTimestamp(text) { return date }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? Date(text, strategy: fractional) { return date }
        throw XMLDecodeError(message: "\(what) is not an ISO 8601 timestamp: \"\(text)\"")
    }

    /// The form S3 writes in every listing, `2026-12-06T22:37:38.000Z` (fractional seconds
    /// optional, UTC), decoded by hand: Foundation's ISO 8601 parser costs microseconds per call,
    /// which a listing of a million keys pays a million times. Nil for anything else (the caller
    /// then asks Foundation, which knows every other ISO 8601 form).
    static func utcTimestamp(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count >= 20, bytes[bytes.count - 1] == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"),
                bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
                bytes[16] == UInt8(ascii: ":")
            else { return nil }
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for index in from..<(from + count) {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month), (1...31).contains(day),
                hour < 24, minute < 60, second < 61
            else { return nil }
            var fraction = 0.0
            if bytes.count > 20 {
                // `.` then 1…9 digits before the `Z`.
                let digits = bytes.count - 21
                guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits), let value = number(20, digits) else { return nil }
                fraction = Double(value) / pow(10, Double(digits))
            } else if bytes[19] != UInt8(ascii: "Z") {
                return nil
            }
            // Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            let seconds = Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction
            return Date(timeIntervalSince1970: seconds)
        }
    }

    static func optionalTimestamp(_ node: XMLNode, _ name: String) throws -> Date? {
        try node.string(name).map { try timestamp($0, "<\(name)>") }
    }

    /// Decodes a value S3 sent with `encoding-type=url` (form encoding: `+` is a space).
    static func urlDecoded(_ text: String?, _ encoded: Bool) -> String? {
        guard let text, encoded else { return text }
        // Byte-wise: Foundation's `replacingOccurrences` bridged every listed key through an
        // NSString and back (issue 19's allocation profile of the copy's listing).
        guard text.utf8.contains(UInt8(ascii: "+")) else { return SigV4URIEncoding.decode(text) }
        let spaced = String(decoding: text.utf8.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        return SigV4URIEncoding.decode(spaced)
    }

    /// The ISO 8601 form S3 accepts in headers such as `x-amz-object-lock-retain-until-date`.
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
