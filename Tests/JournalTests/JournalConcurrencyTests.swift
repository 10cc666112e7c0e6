import Foundation
import Testing

@testable import Journal

@Suite struct JournalConcurrencyTests {
    @Test func eightTasksAppendingConcurrentlyLoseNothing() async throws {
        let scratch = try ScratchDirectory()
        let journal = try Journal(path: scratch.path())
        let tasks = 8
        let perTask = 200
        // Every task writes its own run and, alternately, the shared daemon stream, so the chains
        // are contended both globally and within one stream.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for index in 0..<perTask {
                        try journal.append(
                            JournalEntry(
                                stream: index.isMultiple(of: 2) ? "run-\(task)" : "daemon", kind: "step.progress",
                                payload: #"{"task":\#(task),"index":\#(index)}"#, wallTime: windowStart))
                    }
                }
            }
            try await group.waitForAll()
        }

        let records = try journal.records()
        #expect(records.count == tasks * perTask)
        #expect(records.map(\.sequence) == (1...Int64(tasks * perTask)).map { $0 })
        #expect(Set(records.map(\.payload)).count == tasks * perTask)
        #expect(try journal.records(stream: "daemon").count == tasks * perTask / 2)
        for task in 0..<tasks {
            #expect(try journal.records(stream: "run-\(task)").count == perTask / 2)
        }
        let report = JournalVerifier.verify(records, coverage: .wholeJournal)
        #expect(report.valid, "\(report)")
        #expect(report.streamsChecked == tasks + 1)
        // Monotonic time follows commit order because it is read under the journal's lock.
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.monotonicNanos <= $1.monotonicNanos })
    }

    @Test func twoInstancesOnOneFileShareTheChains() throws {
        let scratch = try ScratchDirectory()
        let first = try Journal(path: scratch.path())
        let second = try Journal(path: scratch.path())
        for index in 0..<10 {
            try (index.isMultiple(of: 2) ? first : second).appendSample(stream: "run-1", count: 1)
        }
        #expect(try first.records(stream: "run-1").map(\.streamSequence) == (1...10).map { $0 })
        #expect(try second.verify().valid)
    }
}
