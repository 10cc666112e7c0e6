import Foundation
import Testing

@testable import Journal

@Suite struct JournalStorageTests {
    @Test func everyFileRunsInWALWithFullSynchronousCommits() throws {
        let scratch = try ScratchDirectory()
        let journal = try Journal(path: scratch.path())
        #expect(try journal.pragma("journal_mode") == "wal")
        #expect(try journal.pragma("synchronous") == "2")  // FULL
        #expect(try journal.pragma("busy_timeout") == String(Journal.busyTimeoutMilliseconds))
        #expect(try journal.pragma("application_id") == String(JournalSchema.applicationID))
    }

    @Test func reopeningAFileContinuesEveryChain() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path()
        var first = try Journal(path: path)
        let before = try first.appendSample(stream: "run-1", count: 3)
        try first.appendSample(stream: "daemon", count: 1)
        first.close()

        first = try Journal(path: path)
        let next = try first.append(
            JournalEntry(stream: "run-1", kind: "run.resumed", payload: #"{"after":"restart"}"#, wallTime: windowStart))
        #expect(next.sequence == 5)
        #expect(next.streamSequence == 4)
        #expect(next.previousHash == before.last?.hash)
        #expect(try first.streams() == ["run-1", "daemon"])
        #expect(try first.verify().valid)
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        let scratch = try ScratchDirectory()
        let journal = try Journal(path: scratch.path())
        try journal.appendSample(stream: "run-1", count: 2)
        let raw = try RawDatabase(path: scratch.path())

        for statement in [
            "UPDATE events SET payload = '{}' WHERE sequence = 1",
            "UPDATE events SET hash = hash",
            "DELETE FROM events WHERE sequence = 2",
            "DELETE FROM events",
        ] {
            do {
                try raw.execute(statement)
                Issue.record("\(statement) was not refused")
            } catch let failure as SQLiteConnection.Failure {
                #expect(failure.message == "journal is append-only", "\(statement)")
            }
        }
        #expect(try journal.recordCount == 2)
        #expect(try journal.verify().valid)
    }

    @Test func payloadIsStoredByteForByte() throws {
        let scratch = try ScratchDirectory()
        let journal = try Journal(path: scratch.path())
        let payloads = [
            "{\n  \"note\" : \"caf\u{E9} \\u2713\\nline\",\n\t\"tab\": \"\\t\"\r\n}",
            // The same text in NFD: Swift calls the two strings equal, the journal must not.
            "{\"note\":\"cafe\u{301}\"}",
            "{\"emoji\":\"🪣➡️🏢\",\"cjk\":\"移行\",\"rtl\":\"\u{202E}abc\"}",
            "  [1, 2.50, 1e3, -0, null, true]  ",
            "\"\\u0000 escaped NUL\"",
        ]
        var records: [JournalRecord] = []
        for payload in payloads {
            records.append(
                try journal.append(JournalEntry(stream: "run-1", kind: "k", payload: payload, wallTime: windowStart)))
        }
        let raw = try RawDatabase(path: scratch.path())
        for (payload, record) in zip(payloads, try journal.records(stream: "run-1")) {
            #expect(Array(record.payload.utf8) == Array(payload.utf8))
            let storedHex = try raw.text(
                "SELECT hex(payload) FROM events WHERE sequence = ?", [.integer(record.sequence)])
            #expect(storedHex == payload.utf8.map { String(format: "%02X", $0) }.joined())
        }
        #expect(Array(records[1].payload.utf8) != Array("{\"note\":\"caf\u{E9}\"}".utf8))
        #expect(JournalVerifier.verify(try journal.records()).valid)
    }

    @Test func aFileThatIsNotADatabaseIsCorruptAndNamed() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("not-a-journal.sqlite")
        try Data(String(repeating: "this is an operator's notes file, not SQLite\n", count: 100).utf8)
            .write(to: URL(fileURLWithPath: path))
        let error = journalError { _ = try Journal(path: path) }
        #expect(error?.code == .corrupt)
        #expect(error?.path == path)
        #expect(error?.message.contains(path) == true)
        #expect(error?.description.contains(path) == true)
    }

    @Test func anotherProgramsDatabaseIsRefusedUntouched() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path("other.sqlite")
        try RawDatabase(path: path).execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        let error = journalError { _ = try Journal(path: path) }
        #expect(error?.code == .incompatible)
        #expect(error?.message.contains(path) == true)
        #expect(try RawDatabase(path: path).text("SELECT group_concat(name) FROM sqlite_master") == "invoices")
    }

    @Test func aNewerSchemaIsRefused() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path()
        try Journal(path: path).close()
        try RawDatabase(path: path).execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        #expect(journalError { _ = try Journal(path: path) }?.code == .incompatible)
    }

    @Test func aMissingDirectoryCannotBeOpened() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.url.appendingPathComponent("no/such/dir/journal.sqlite").path
        let error = journalError { _ = try Journal(path: path) }
        #expect(error?.code == .cannotOpen)
        #expect(error?.message.contains(path) == true)
    }

    @Test func readOnlyAccessReadsButNeverAppends() throws {
        let scratch = try ScratchDirectory()
        let path = scratch.path()
        let writer = try Journal(path: path)
        try writer.appendSample(stream: "run-1", count: 3)

        let reader = try Journal(path: path, access: .readOnly)
        #expect(try reader.records().count == 3)
        #expect(try reader.verify().valid)
        #expect(journalError { try reader.appendSample(stream: "run-1", count: 1) }?.code == .readOnly)
        try writer.appendSample(stream: "run-1", count: 1)
        #expect(try reader.recordCount == 4)
    }

    @Test func readOnlyAccessToAMissingFileFails() throws {
        let scratch = try ScratchDirectory()
        #expect(journalError { _ = try Journal(path: scratch.path(), access: .readOnly) }?.code == .cannotOpen)
    }
}
