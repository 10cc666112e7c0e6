import Audit
import Foundation
import Journal
import TestSupport
import Testing

/// Each way of editing history that issue 7 names, done to a copy of a real run's SQLite journal
/// with the raw SQLite API, and detected by `AuditVerifier` with the right record named.
@Suite struct TamperTests {
    @Test func theUntouchedJournalVerifies() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let result = try AuditVerifier.verify(
            journalAt: fixture.journalPath, anchorLog: fixture.anchorLog, key: fixture.key.publicKey)
        #expect(result.valid, "\(result)")
        #expect(result.exitCode == 0)
        #expect(result.streams.map(\.stream) == ["daemon", fixture.runId])
    }

    @Test func aChangedByteIsNamed() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let approval = try #require(try fixture.records().first(kind: "approval.decided"))
        let copy = try fixture.copyJournal()
        try copy.execute(
            "UPDATE events SET payload = replace(payload, '\"alice\"', '\"alicf\"') WHERE sequence = \(approval.sequence)")
        let result = try fixture.verifyCopy(copy)
        #expect(!result.valid && result.exitCode == 1)
        let failure = try #require(result.failures.first)
        #expect(failure.code == .hashMismatch)
        #expect(failure.streamSequence == approval.streamSequence)
        #expect(failure.kind == "approval.decided")
        #expect(result.summary.contains("record \(approval.streamSequence) (approval.decided"))
    }

    @Test func aDeletedRecordIsNamedByItsPosition() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let victim = try #require(try fixture.records().first(kind: "aws.call"))
        let copy = try fixture.copyJournal()
        try copy.execute("DELETE FROM events WHERE sequence = \(victim.sequence)")
        let failure = try #require(try fixture.verifyCopy(copy).failures.first)
        #expect(failure.code == .missingRecord)
        #expect(failure.streamSequence == victim.streamSequence)
    }

    @Test func twoSwappedRecordsAreNamedAtTheFirst() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let records = try fixture.records()
        let a = try #require(records.first(kind: "attempt.started"))
        let b = records[Int(a.streamSequence)]  // the record after a
        let copy = try fixture.copyJournal()
        var movedB = b
        movedB.streamSequence = a.streamSequence
        var movedA = a
        movedA.streamSequence = b.streamSequence
        // Swap the two rows' contents (each keeps its stored hash), the positions stay.
        try copy.execute("UPDATE events SET stream_sequence = -1 WHERE sequence = \(a.sequence)")
        try copy.replace(sequence: b.sequence, with: movedA)
        try copy.replace(sequence: a.sequence, with: movedB)
        let failure = try #require(try fixture.verifyCopy(copy).failures.first)
        #expect(failure.code == .hashMismatch)
        #expect(failure.streamSequence == a.streamSequence)
    }

    @Test func aTruncatedTailIsCaughtByTheAnchorLog() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let records = try fixture.records()
        let keep = records.count - 3
        let copy = try fixture.copyJournal()
        try copy.execute("DELETE FROM events WHERE stream = '\(fixture.runId)' AND stream_sequence > \(keep)")
        let result = try fixture.verifyCopy(copy)
        let failure = try #require(result.failures.first)
        #expect(failure.code == .truncated)
        #expect(failure.streamSequence == Int64(keep + 1))
        #expect(result.summary.hasPrefix("INVALID: \(keep) of \(records.count) records valid; record \(keep + 1)"))
    }

    /// The limit the anchor log exists for: without it, a tail cut off with its final checkpoint
    /// looks like a run still in progress — valid, but saying that the newest records are unsigned.
    @Test func withoutTheAnchorLogATruncatedTailLooksLikeARunInProgress() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let keep = try fixture.records().count - 3
        let copy = try fixture.copyJournal()
        try copy.execute("DELETE FROM events WHERE stream = '\(fixture.runId)' AND stream_sequence > \(keep)")
        let result = try fixture.verifyCopy(copy, anchors: false)
        #expect(result.valid)
        #expect(result.summary.contains("not yet signed"))
    }

    @Test func aRechainedForgeryIsCaughtByTheNextSignedCheckpoint() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        var records = try fixture.records()
        let index = try #require(records.firstIndex { $0.kind == "approval.decided" })
        records[index].payload = records[index].payload.replacingOccurrences(of: "\"alice\"", with: "\"mallory\"")
        let forged = records.rechained(from: index)
        let copy = try fixture.copyJournal()
        for record in forged[index...] { try copy.replace(sequence: record.sequence, with: record) }
        let failure = try #require(try fixture.verifyCopy(copy, anchors: false).failures.first)
        #expect(failure.code == .checkpointMismatch)
        let range = try #require(failure.suspectRange)
        #expect(range.contains(records[index].streamSequence))
        #expect(failure.streamSequence == range.upperBound)
    }

    @Test func aRechainedForgeryWithoutCheckpointsMissesTheFinalOne() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let records = try fixture.records()
        let index = try #require(records.firstIndex { $0.kind == "approval.decided" })
        // Keep everything before the approval; rewrite the rest without its checkpoints.
        var tail = Array(records[index...].filter { $0.kind != AuditCheckpoint.kind })
        tail[0].payload = tail[0].payload.replacingOccurrences(of: "\"alice\"", with: "\"mallory\"")
        for offset in tail.indices { tail[offset].streamSequence = records[index].streamSequence + Int64(offset) }
        let forged = (Array(records[..<index]) + tail).rechained(from: index)
        let copy = try fixture.copyJournal()
        try copy.execute("DELETE FROM events WHERE stream = '\(fixture.runId)' AND stream_sequence >= \(records[index].streamSequence)")
        for record in forged[index...] { try copy.insert(record) }

        let withoutAnchors = try #require(try fixture.verifyCopy(copy, anchors: false).failures.first)
        #expect(withoutAnchors.code == .missingFinalCheckpoint)
        let range = try #require(withoutAnchors.suspectRange)
        #expect(range.contains(records[index].streamSequence))

        let withAnchors = try #require(try fixture.verifyCopy(copy).failures.first)
        #expect(withAnchors.code == .anchorMismatch || withAnchors.code == .truncated)
    }

    @Test func aCheckpointForgedWithAnotherKeyIsNamed() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let head = try #require(try fixture.records().last)
        let forger = try AuditKey.generate()
        let checkpoint = try AuditCheckpoint.signing(head, reason: .manual, at: head.wallTime, with: forger)
        let record = try forgedRecord(after: head, carrying: checkpoint)
        let copy = try fixture.copyJournal()
        try copy.insert(record)
        let failure = try #require(try fixture.verifyCopy(copy).failures.first)
        #expect(failure.code == .unknownKey)
        #expect(failure.streamSequence == head.streamSequence + 1)
    }

    @Test func aCheckpointClaimingTheRealKeyIDButSignedByAnotherKeyIsNamed() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let head = try #require(try fixture.records().last)
        var checkpoint = try AuditCheckpoint.signing(head, reason: .manual, at: head.wallTime, with: AuditKey.generate())
        checkpoint.keyId = fixture.key.keyId
        let copy = try fixture.copyJournal()
        try copy.insert(try forgedRecord(after: head, carrying: checkpoint))
        let failure = try #require(try fixture.verifyCopy(copy).failures.first)
        #expect(failure.code == .badSignature)
        #expect(failure.streamSequence == head.streamSequence + 1)
    }

    @Test func aJournalVerifiedWithoutAKeyIsNotValid() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let result = try AuditVerifier.verify(journalAt: fixture.journalPath, anchorLog: nil, key: nil)
        #expect(!result.valid)
        #expect(result.failures.contains { $0.code == .noKey })
        #expect(result.description.contains("signatures NOT checked"))
    }

    func forgedRecord(after head: JournalRecord, carrying checkpoint: AuditCheckpoint) throws -> JournalRecord {
        let payload = String(decoding: try Journal.eventEncoder().encode(checkpoint), as: UTF8.self)
        var record = JournalRecord(
            sequence: 0, stream: head.stream, streamSequence: head.streamSequence + 1, kind: AuditCheckpoint.kind,
            wallTime: head.wallTime, monotonicNanos: head.monotonicNanos + 1, payload: payload, previousHash: head.hash,
            hash: "")
        record.hash = record.computedHash
        return record
    }
}
