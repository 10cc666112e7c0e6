import Foundation
import Testing

@testable import Journal

@Suite struct JournalTimestampTests {
    @Test(arguments: [
        (1_796_086_800.0, "2026-12-01T01:00:00.000Z"),
        (-14_182_939.877, "1969-07-20T20:17:40.123Z"),
        (1_709_251_199.999, "2024-02-29T23:59:59.999Z"),
        (0.0, "1970-01-01T00:00:00.000Z"),
        (-62_135_596_800.0, "0001-01-01T00:00:00.000Z"),
        (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsAndParsesTheCanonicalText(seconds: Double, text: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(JournalTimestamp.format(date) == text)
        #expect(JournalTimestamp.parse(text) == JournalTimestamp.normalized(date))
    }

    @Test func everyNormalizedDateFormatsBackToItsOwnText() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let ms = Int64.random(in: JournalTimestamp.representableMilliseconds, using: &generator)
            let text = JournalTimestamp.format(Date(timeIntervalSince1970: Double(ms) / 1000))
            let parsed = JournalTimestamp.parse(text)
            #expect(parsed.map(JournalTimestamp.milliseconds) == ms, "\(ms) → \(text)")
            #expect(parsed.map(JournalTimestamp.format) == text)
        }
    }

    @Test(arguments: [
        "2026-12-01T01:00:00Z", "2026-12-01T01:00:00.000+00:00", "2026-12-01 01:00:00.000Z",
        "2026-02-29T01:00:00.000Z", "2026-13-01T01:00:00.000Z", "2026-12-01T24:00:00.000Z",
        "2026-12-01T01:00:60.000Z", "+026-12-01T01:00:00.000Z", "2026-12-01T01:00:00.0000Z",
    ])
    func refusesAnyOtherForm(text: String) {
        #expect(JournalTimestamp.parse(text) == nil)
    }
}

@Suite struct CanonicalBytesTests {
    /// Pins the canonical form for offline verifiers. The expected digest was computed
    /// independently with Python's hashlib over the bytes the doc comment describes.
    @Test func canonicalBytesMatchTheDocumentedForm() throws {
        let payload = "{\n  \"name\": \"admin-console-cutover\",\n  \"note\": \"caf\u{E9} \\u2713\\nline\"\n}"
        let record = JournalRecord(
            sequence: 7, stream: "run-1", streamSequence: 1, kind: "run.created", wallTime: windowStart,
            monotonicNanos: 42, payload: payload, previousHash: JournalRecord.genesisHash, hash: "")
        let expectedText =
            "cutover-journal-v1\n" + String(repeating: "0", count: 64) + "\nrun-1\n1\nrun.created\n"
            + "2026-12-01T01:00:00.000Z\n42\n" + payload
        #expect(record.canonicalBytes == Array(expectedText.utf8))
        #expect(record.computedHash == "1633121247770d45cf233edf87402cc966df6f2441eee56ccfb56ddb38795b01")
    }

    @Test func theJournalStoresTheHashOfTheCanonicalBytes() throws {
        let journal = try Journal.inMemory(monotonic: { 42 })
        let payload = "{\n  \"name\": \"admin-console-cutover\",\n  \"note\": \"caf\u{E9} \\u2713\\nline\"\n}"
        let record = try journal.append(
            JournalEntry(stream: "run-1", kind: "run.created", payload: payload, wallTime: windowStart))
        #expect(record.hash == "1633121247770d45cf233edf87402cc966df6f2441eee56ccfb56ddb38795b01")
    }
}
