import Foundation
import Testing

@testable import Journal

@Suite struct JournalFaultTests {
    @Test(arguments: [1, 2, 5] as [Int64])
    func aCrashAtAppendNWritesNothingAndKillsTheInstance(n: Int64) throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path()
        let doomed = try Journal(path: path)
        doomed.faults.crash(atAppend: n)
        var written: [JournalRecord] = []
        for index in 1...(n + 2) {
            let entry = JournalEntry(
                stream: "run-1", kind: "attempt.started", payload: "{\"i\":\(index)}", wallTime: windowStart)
            if index < n {
                written.append(try doomed.append(entry))
            } else {
                let error = journalError { try doomed.append(entry) }
                #expect(error?.code == .injectedCrash)
            }
        }
        #expect(doomed.faults.appendsAttempted == n + 2)
        // The dead instance is abandoned, not closed, as a killed process would leave it.

        let restarted = try Journal(path: path)
        #expect(try restarted.recordCount == n - 1)
        #expect(try restarted.records() == written)
        let next = try restarted.append(
            JournalEntry(stream: "run-1", kind: "run.recovered", payload: "{}", wallTime: windowStart))
        #expect(next.streamSequence == n)
        #expect(next.previousHash == (written.last?.hash ?? JournalRecord.genesisHash))
        #expect(try restarted.verify().valid)
    }

    @Test func aCrashAfterAppendNCommitsItThenKillsTheInstance() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path()
        let doomed = try Journal(path: path)
        doomed.faults.crash(afterAppend: 2)
        try doomed.appendSample(stream: "run-1", count: 1)
        #expect(journalError { try doomed.appendSample(stream: "run-1", count: 1) }?.code == .injectedCrash)
        #expect(journalError { try doomed.appendSample(stream: "run-1", count: 1) }?.code == .injectedCrash)

        let restarted = try Journal(path: path)
        #expect(try restarted.recordCount == 2)
        #expect(try restarted.verify().valid)
    }

    @Test func diskFullWritesNothingAndSaysWhatToDo() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path()
        let journal = try Journal(path: path)
        journal.faults.failWithDiskFull(atAppend: 3)
        try journal.appendSample(stream: "run-1", count: 2)
        for _ in 0..<2 {
            let error = try #require(journalError { try journal.appendSample(stream: "run-1", count: 1) })
            #expect(error.code == .diskFull)
            #expect(error.sqliteCode == 13)  // SQLITE_FULL
            #expect(error.message.contains("Free space there"))
            #expect(error.message.contains(scratch.url.path))
            #expect(error.message.contains("nothing was lost"))
        }
        #expect(try journal.recordCount == 2)

        journal.faults.reset()  // space was freed
        #expect(journal.faults.appendsAttempted == 0)
        let resumed = try journal.appendSample(stream: "run-1", count: 1)
        #expect(resumed.first?.streamSequence == 3)
        #expect(try journal.verify().valid)
    }

    /// A real SQLITE_FULL, not the hook: SQLite's page limit stands in for a full disk.
    @Test func aRealSQLiteFullRollsBackTheAppendAndLosesNothing() throws {
        let scratch = try ScratchDirectory()
        let journal = try Journal(path: scratch.path())
        try journal.appendSample(stream: "run-1", count: 3)
        let pages = try #require(Int(try journal.pragma("page_count")))
        _ = try journal.pragma("max_page_count = \(pages + 2)")

        let big = "{\"blob\":\"" + String(repeating: "x", count: 4_096) + "\"}"
        var error: JournalError?
        for _ in 0..<20 where error == nil {
            do {
                try journal.append(JournalEntry(stream: "run-1", kind: "k", payload: big, wallTime: windowStart))
            } catch let thrown {
                error = thrown
            }
        }
        let full = try #require(error)
        #expect(full.code == .diskFull)
        #expect(full.sqliteCode.map { $0 & 0xFF } == 13)
        #expect(full.message.contains("Free space there"))
        let committed = try journal.recordCount

        _ = try journal.pragma("max_page_count = 1073741823")  // space was freed
        let next = try journal.append(JournalEntry(stream: "run-1", kind: "k", payload: big, wallTime: windowStart))
        #expect(next.streamSequence == committed + 1)
        #expect(try journal.verify().valid)
    }

    @Test func readsStillWorkOnACrashedInstance() throws {
        let journal = try Journal.inMemory()
        try journal.appendSample(stream: "run-1", count: 2)
        journal.faults.crash(atAppend: 3)
        #expect(journalError { try journal.appendSample(stream: "run-1", count: 1) }?.code == .injectedCrash)
        #expect(try journal.recordCount == 2)
    }
}
