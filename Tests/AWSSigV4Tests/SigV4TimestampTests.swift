import Foundation
import Testing

@testable import AWSSigV4

@Suite struct SigV4TimestampTests {
    @Test func formatsKnownInstants() {
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 0)).amzDate == "19700101T000000Z")
        #expect(SigV4Timestamp(TestFixtures.suiteDate).amzDate == "20150830T123600Z")
        #expect(SigV4Timestamp(TestFixtures.suiteDate).dateStamp == "20150830")
        // Leap days and the century rules.
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 951_782_400)).amzDate == "20000229T000000Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 1_709_251_199)).amzDate == "20240229T235959Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 4_107_542_400)).amzDate == "21000301T000000Z")
    }

    /// The digits are written two at a time from a table: every hour, minute and second field,
    /// and the years at either end of four digits, must come out as the arithmetic gives them.
    @Test func everySecondOfADayAndTheFourDigitYearsEdgesFormat() {
        let midnight = 1_796_601_600  // 2026-12-07T00:00:00Z
        for second in 0..<86_400 {
            let stamp = SigV4Timestamp(Date(timeIntervalSince1970: Double(midnight + second)))
            let hms = [second / 3600, second / 60 % 60, second % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined()
            if stamp.amzDate != "20261207T\(hms)Z" {
                Issue.record("second \(second) of the day: \(stamp.amzDate)")
                return
            }
        }
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: -62_135_596_800)).amzDate == "00010101T000000Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 253_402_300_799)).amzDate == "99991231T235959Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 253_402_300_799)).dateStamp == "99991231")
    }

    @Test func truncatesFractionalSeconds() {
        #expect(SigV4Timestamp(TestFixtures.suiteDate + 0.999).amzDate == "20150830T123600Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: -0.5)).amzDate == "19691231T235959Z")
    }

    @Test func agreesWithFoundationFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        // Every 23 days, 4 h, 5 min and 7 s from 1970 to 2100: hits every month, day and hour.
        for seconds in stride(from: 0, through: 4_102_444_800, by: 23 * 86_400 + 14_707) {
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(SigV4Timestamp(date).amzDate == formatter.string(from: date))
        }
    }
}
