import Audit
import Foundation
import Journal
import TestSupport
import Testing

@Suite struct AuditBundleTests {
    @Test func aBundleRoundTripsByteForByteAndVerifiesWithThePinnedKey() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let bundle = try fixture.bundle()
        let text = try bundle.encoded()
        let parsed = try AuditBundle.parse(text)
        #expect(parsed == bundle)
        #expect(try parsed.encoded() == text)
        #expect(parsed.records == (try fixture.records()))
        #expect(parsed.runCreated?.plan.runbookName == "admin-console-cutover")
        #expect(parsed.runCreated?.initiator == TestPeople.initiator)
        let result = AuditVerifier.verify(bundle: parsed, pinnedKey: fixture.key.publicKey)
        #expect(result.valid, "\(result)")
        #expect(result.keySource == .pinned)
    }

    @Test func theSummaryHasTheShapeIssue7Asks() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let records = try fixture.records()
        let result = AuditVerifier.verify(bundle: try fixture.bundle(), pinnedKey: fixture.key.publicKey)
        let checkpoints = records.filter { $0.kind == AuditCheckpoint.kind }.count
        let n = records.count
        let first = JournalTimestamp.format(records.first!.wallTime)
        let last = JournalTimestamp.format(records.last!.wallTime)
        #expect(
            result.summary
                == "\(n) of \(n) records valid, chain intact, signed checkpoints \(checkpoints), last checkpoint covers record \(n - 1), time range \(first) – \(last)"
        )
        print("verify summary:\n\(result)")
    }

    @Test func withoutAPinnedKeyTheBundlesKeyIsUsedAndSaidSo() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let result = AuditVerifier.verify(bundle: try fixture.bundle())
        #expect(result.valid)
        #expect(result.description.contains("not pinned"))
    }

    @Test func aBundleFromAnotherDaemonFailsAgainstThePinnedKey() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let result = AuditVerifier.verify(bundle: try fixture.bundle(), pinnedKey: try AuditKey.generate().publicKey)
        #expect(!result.valid)
        #expect(result.failures.contains { $0.code == .keyMismatch })
        #expect(result.failures.contains { $0.code == .unknownKey && $0.streamSequence == 2 })
    }

    @Test func anEditedRecordLineIsNamed() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let bundle = try fixture.bundle()
        var lines = try bundle.encoded().split(separator: "\n").map(String.init)
        let index = try #require(bundle.records.firstIndex { $0.kind == "approval.decided" })
        let line = bundle.line(ofRecordAt: index) - 1
        lines[line] = lines[line].replacingOccurrences(of: "staging copy verified", with: "staging copy skipped!")
        let result = AuditVerifier.verify(bundle: try AuditBundle.parse(lines.joined(separator: "\n")), pinnedKey: fixture.key.publicKey)
        #expect(result.failures.first?.code == .hashMismatch)
        #expect(result.failures.first?.streamSequence == bundle.records[index].streamSequence)
    }

    @Test func swappedRecordLinesAreNamed() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let bundle = try fixture.bundle()
        var lines = try bundle.encoded().split(separator: "\n").map(String.init)
        lines.swapAt(4, 5)  // records 4 and 5
        let result = AuditVerifier.verify(bundle: try AuditBundle.parse(lines.joined(separator: "\n")), pinnedKey: fixture.key.publicKey)
        let failure = try #require(result.failures.first)
        #expect(failure.code == .outOfOrder)
        #expect(failure.streamSequence == 4)
    }

    @Test func aBundleCutShortIsNamedFromItsHeader() async throws {
        let fixture = try AuditRunFixture()
        try await fixture.runToCompletion()
        let bundle = try fixture.bundle()
        let lines = try bundle.encoded().split(separator: "\n").map(String.init)
        let kept = bundle.records.count - 4
        let cut = lines.prefix(1 + kept).joined(separator: "\n") + "\n"
        let result = AuditVerifier.verify(bundle: try AuditBundle.parse(cut), pinnedKey: fixture.key.publicKey)
        let failure = try #require(result.failures.first)
        #expect(failure.code == .truncated)
        #expect(failure.streamSequence == Int64(kept + 1))
    }

    @Test func parseErrorsNameTheLine() throws {
        let header = """
            {"anchors":0,"exportedAt":"2026-12-01T00:00:00.000Z","format":"cutover-audit-bundle-v1","records":1,"runId":"r-1","type":"header"}
            """
        func error(_ text: String) -> AuditError? {
            do {
                _ = try AuditBundle.parse(text, path: "run.jsonl")
                return nil
            } catch {
                return error
            }
        }
        #expect(error("{\"type\":\"record\"}")?.line == 1)
        #expect(error(header + "\n{\"type\":\"record\",\"record\":{\"stream\":\"r-1\"}}")?.line == 2)
        #expect(error(header + "\n\n")?.line == 2)
        #expect(error(header + "\n{\"type\":\"comment\"}")?.message.contains("unknown line type") == true)
        let bad = error(header + "\n{oops")
        #expect(bad?.line == 2)
        #expect(bad.map { "\($0)" }?.hasPrefix("run.jsonl:2: ") == true)
    }
}
