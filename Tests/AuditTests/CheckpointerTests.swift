import Audit
import Engine
import Foundation
import Journal
import TestSupport
import Testing

@Suite struct CheckpointerTests {
    @Test func aRunIsSignedWhenItOpensPeriodicallyAndAtItsEnd() async throws {
        let fixture = try AuditRunFixture(interval: 6)
        #expect(try await fixture.runToCompletion() == .completed)
        let records = try fixture.records()
        let checkpoints = try records.filter { $0.kind == AuditCheckpoint.kind }.map { try AuditCheckpoint(record: $0) }
        #expect(checkpoints.first?.reason == .opening)
        #expect(checkpoints.first?.streamSequence == 1)
        #expect(checkpoints.contains { $0.reason == .periodic })
        let last = try #require(checkpoints.last)
        #expect(last.reason == .final)
        // The final checkpoint is the stream's last record and covers the one before it.
        #expect(records.last?.kind == AuditCheckpoint.kind)
        #expect(last.streamSequence == Int64(records.count - 1))
        #expect(records[records.count - 2].kind == "run.status")
        // The daemon stream is signed too.
        let daemon = try fixture.engine.journal.records(stream: "daemon")
        #expect(daemon.last?.kind == AuditCheckpoint.kind)
    }

    @Test func everyCheckpointIsAlsoInTheAnchorLog() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let anchors = try fixture.anchorLog.read().filter { $0.stream == fixture.runId }
        let inJournal = try fixture.records().filter { $0.kind == AuditCheckpoint.kind }
        #expect(anchors.map(\.recordStreamSequence) == inJournal.map(\.streamSequence))
        #expect(anchors.map(\.recordHash) == inJournal.map(\.hash))
    }

    @Test func checkpointsDoNotChangeTheRunStateTheEngineRebuilds() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let rebuilt = try RunExecutor(
            runId: fixture.runId, journal: fixture.engine.journal, registry: fixture.engine.registry,
            clock: fixture.engine.clock)
        #expect(await rebuilt.state.status == .completed)
    }

    @Test func aRestartedCheckpointerWritesNothingTwice() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let before = try fixture.engine.journal.recordCount
        let restarted = Checkpointer(
            journal: fixture.engine.journal, key: fixture.key, anchors: fixture.anchorLog, interval: 6)
        #expect(try restarted.catchUp().isEmpty)
        #expect(try restarted.checkpointAll().isEmpty)
        #expect(try fixture.engine.journal.recordCount == before)
    }
}
