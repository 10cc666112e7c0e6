import Foundation
import Runbook
import Testing

@Suite struct RunbookDurationTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("10s", .seconds(10)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
        ("2d", .seconds(172_800)), ("1h30m", .seconds(5400)), ("1h 30m", .seconds(5400)), ("0s", .zero),
        ("1m30s500ms", .milliseconds(90_500)), (" 10s ", .seconds(10)),
    ])
    func parsesRunbookForms(_ text: String, _ expected: Duration) {
        #expect(RunbookDuration.parse(text) == expected)
    }

    @Test(arguments: [
        "", " ", "-1s", "+1s", "1.5h", "10", "s", "10x", "1H", "5 minutes", "1m1m", "1h-30m", "99999999999999999d",
    ])
    func rejectsEverythingElse(_ text: String) {
        #expect(RunbookDuration.parse(text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(5400), "1h30m"), (.seconds(10), "10s"), (.zero, "0s"), (.milliseconds(250), "250ms"),
        (.seconds(172_800), "2d"), (.seconds(90), "1m30s"), (.milliseconds(1500), "1s500ms"),
    ])
    func formatsLargestUnitFirst(_ duration: Duration, _ expected: String) {
        #expect(RunbookDuration.format(duration) == expected)
    }

    @Test func formatParsesBack() {
        for text in ["1d2h3m4s5ms", "45m", "250ms", "0s"] {
            let duration = try! #require(RunbookDuration.parse(text))
            #expect(RunbookDuration.parse(RunbookDuration.format(duration)) == duration)
        }
    }
}

@Suite struct RunbookTimestampTests {
    @Test func offsetsAreAppliedToTheInstant() throws {
        let tokyo = try #require(RunbookTimestamp.parse("2026-12-01T01:00:00+09:00"))
        let utc = try #require(RunbookTimestamp.parse("2026-11-30T16:00:00Z"))
        #expect(tokyo == utc)
        #expect(RunbookTimestamp.format(tokyo) == "2026-11-30T16:00:00Z")
        let west = try #require(RunbookTimestamp.parse("2026-11-30T08:30:00-07:30"))
        #expect(RunbookTimestamp.format(west) == "2026-11-30T16:00:00Z")
    }

    @Test func fractionalSecondsAreOptional() throws {
        let date = try #require(RunbookTimestamp.parse("2026-12-01T02:00:00.250Z"))
        #expect(RunbookTimestamp.format(date) == "2026-12-01T02:00:00.250Z")
        #expect(date.timeIntervalSince(try #require(RunbookTimestamp.parse("2026-12-01T02:00:00Z"))) == 0.25)
    }

    @Test func matchesFoundationsEpoch() throws {
        #expect(RunbookTimestamp.parse("1970-01-01T00:00:00Z") == Date(timeIntervalSince1970: 0))
        #expect(RunbookTimestamp.parse("2024-02-29T12:00:00Z") == Date(timeIntervalSince1970: 1_709_208_000))
    }

    @Test(arguments: [
        "2026-12-01T01:00:00", "2026-12-01 01:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-12-01T24:00:00Z", "2026-12-01T01:00:00+0900", "2026-12-01T01:00:00.Z", "tomorrow", "",
        "2026-12-01T01:00:00Z trailing",
    ])
    func rejectsTimesWithoutAnOffsetOrImpossibleDates(_ text: String) {
        #expect(RunbookTimestamp.parse(text) == nil)
    }
}
