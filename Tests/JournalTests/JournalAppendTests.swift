import Foundation
import Testing

@testable import Journal

@Suite struct JournalAppendTests {
    @Test func appendReturnsTheRecordThatReadsBack() throws {
        let scratch = try ScratchDirectory()
        let clock = SteppingMonotonic()
        let journal = try Journal(path: scratch.path(), monotonic: clock.source)
        let created = try journal.append(
            JournalEntry(
                stream: "run-1", kind: "run.created", payload: #"{"runbook":"admin-console-cutover"}"#,
                wallTime: windowStart.addingTimeInterval(0.123_456)))
        let started = try journal.append(
            JournalEntry(
                stream: "run-1", kind: "attempt.started", payload: #"{"step":"precopy-images"}"#, wallTime: windowStart)
        )

        #expect(created.sequence == 1)
        #expect(created.streamSequence == 1)
        #expect(created.previousHash == JournalRecord.genesisHash)
        #expect(created.hash == created.computedHash)
        #expect(created.hash.count == 64)
        #expect(created.wallTimeText == "2026-12-01T01:00:00.123Z")
        #expect(created.monotonicNanos == 1_000)
        #expect(started.sequence == 2)
        #expect(started.streamSequence == 2)
        #expect(started.previousHash == created.hash)
        #expect(started.monotonicNanos == 2_000)

        #expect(try journal.records(stream: "run-1") == [created, started])
        #expect(try journal.records(stream: "run-1", after: 1) == [started])
        #expect(try journal.records() == [created, started])
        #expect(try journal.head(stream: "run-1") == started)
        #expect(try journal.head(stream: "run-2") == nil)
        #expect(try journal.recordCount == 2)
        #expect(try journal.streams() == ["run-1"])
    }

    @Test func wallTimeIsRoundedToTheMillisecondBeforeHashing() throws {
        let journal = try Journal.inMemory()
        let record = try journal.append(
            JournalEntry(
                stream: "daemon", kind: "daemon.started", payload: "{}",
                wallTime: windowStart.addingTimeInterval(0.000_6)))
        #expect(record.wallTimeText == "2026-12-01T01:00:00.001Z")
        #expect(record.wallTime == JournalTimestamp.parse("2026-12-01T01:00:00.001Z"))
        #expect(try journal.records() == [record])
    }

    @Test func encodableEventsUseSortedKeysAndMillisecondDates() throws {
        struct WaitScheduled: Codable, Equatable {
            var step: String
            var dueAt: Date
            var bucket: String
            var arn: String
        }
        let journal = try Journal.inMemory()
        let event = WaitScheduled(
            step: "forced-wait", dueAt: windowStart.addingTimeInterval(3_600.25), bucket: "admin-images",
            arn: "arn:aws:iam::222222222222:role/CutoverTarget")
        let record = try journal.append(stream: "run-1", kind: "wait.scheduled", event: event, at: windowStart)

        #expect(
            record.payload
                == #"{"arn":"arn:aws:iam::222222222222:role/CutoverTarget","bucket":"admin-images","dueAt":"2026-12-01T02:00:00.250Z","step":"forced-wait"}"#
        )
        #expect(try record.decodePayload(as: WaitScheduled.self) == event)
    }

    @Test func recordsAfterASequencePageThroughAllStreamsInCommitOrder() throws {
        let journal = try Journal.inMemory()
        for index in 0..<10 {
            try journal.append(
                JournalEntry(
                    stream: index.isMultiple(of: 2) ? "run-a" : "run-b", kind: "k", payload: "\(index)",
                    wallTime: windowStart))
        }
        let firstPage = try journal.records(after: 0, limit: 4)
        let secondPage = try journal.records(after: firstPage.last!.sequence, limit: 4)
        let rest = try journal.records(after: secondPage.last!.sequence)
        #expect(firstPage.map(\.sequence) == [1, 2, 3, 4])
        #expect(secondPage.map(\.sequence) == [5, 6, 7, 8])
        #expect(rest.map(\.payload) == ["8", "9"])
        #expect(try journal.records(after: 10).isEmpty)
        #expect(try journal.records(after: 0, limit: 0).isEmpty)
    }

    @Test func invalidEntriesAreRejectedWithoutWritingOrCounting() throws {
        let journal = try Journal.inMemory()
        let rejected: [JournalEntry] = [
            JournalEntry(stream: "", kind: "run.created", payload: "{}", wallTime: windowStart),
            JournalEntry(stream: "run-1", kind: "", payload: "{}", wallTime: windowStart),
            JournalEntry(stream: "run-1\nforged", kind: "run.created", payload: "{}", wallTime: windowStart),
            JournalEntry(stream: "run-1", kind: "run.created\t", payload: "{}", wallTime: windowStart),
            JournalEntry(stream: "run-1", kind: "run.created", payload: "{not json", wallTime: windowStart),
            JournalEntry(stream: "run-1", kind: "run.created", payload: "", wallTime: windowStart),
            JournalEntry(
                stream: "run-1", kind: "run.created", payload: "{}", wallTime: Date(timeIntervalSince1970: .infinity)),
            JournalEntry(
                stream: "run-1", kind: "run.created", payload: "{}", wallTime: Date(timeIntervalSince1970: 1e12)),
        ]
        for entry in rejected {
            let error = journalError { try journal.append(entry) }
            #expect(error?.code == .appendRejected, "\(entry)")
            #expect(error?.message.contains("nothing was written") == true)
        }
        #expect(try journal.recordCount == 0)
        #expect(journal.faults.appendsAttempted == 0)
    }

    @Test func aClosedJournalSaysSo() throws {
        let journal = try Journal.inMemory()
        journal.close()
        journal.close()
        #expect(journalError { _ = try journal.recordCount }?.code == .closed)
        #expect(journalError { try journal.appendSample(stream: "run-1", count: 1) }?.code == .closed)
    }

    @Test func recordsEncodeTheirWallTimeAsTheHashedText() throws {
        let journal = try Journal.inMemory()
        let record = try journal.append(
            JournalEntry(stream: "run-1", kind: "run.created", payload: #"{"a":1}"#, wallTime: windowStart))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970  // must not matter
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(json.contains(#""wallTime":"2026-12-01T01:00:00.000Z""#))
        let decoded = try JSONDecoder().decode(JournalRecord.self, from: Data(json.utf8))
        #expect(decoded == record)
        #expect(decoded.computedHash == record.hash)
    }
}
