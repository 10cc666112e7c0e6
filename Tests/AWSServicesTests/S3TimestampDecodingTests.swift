import Foundation
import Testing

@testable import AWSServices

/// The hand-written decoder of S3's listing timestamps (issue 19: Foundation's ISO 8601 parser
/// was a measurable share of a large listing's CPU) agrees with Foundation to the millisecond.
@Suite struct S3TimestampDecodingTests {
    @Test func agreesWithFoundationOverCenturiesOfTimestamps() throws {
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let date = Date(
                timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000_000...8_000_000_000_000, using: &generator)) / 1000)
            for text in [date.formatted(fractional), date.formatted(.iso8601)] {
                let ours = try #require(S3Decoding.utcTimestamp(text), "\(text)")
                let foundation = try Date(text, strategy: text.contains(".") ? fractional : .iso8601)
                #expect(abs(ours.timeIntervalSince1970 - foundation.timeIntervalSince1970) < 0.0005, "\(text)")
            }
        }
        #expect(S3Decoding.utcTimestamp("2026-02-28T23:59:59.5Z")?.timeIntervalSince1970 == 1_772_323_199.5)
    }

    @Test func otherFormsAreLeftToFoundation() throws {
        for text in [
            "2026-12-06T22:37:38+01:00", "2026-12-06 22:37:38Z", "2026-13-06T22:37:38Z", "yesterday", "", "2026-12-06T22:37:38.Z",
            "2026-12-06T22:37:3xZ",
        ] {
            #expect(S3Decoding.utcTimestamp(text) == nil, "\(text)")
        }
        #expect(try S3Decoding.timestamp("2026-12-06T23:37:38+01:00", "t") == S3Decoding.timestamp("2026-12-06T22:37:38Z", "t"))
        #expect(throws: XMLDecodeError.self) { try S3Decoding.timestamp("yesterday", "<LastModified>") }
    }
}
