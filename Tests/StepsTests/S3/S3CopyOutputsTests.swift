import Runbook
import Testing

@testable import Steps

/// The typed outputs of `s3.copy` and `s3.verify` (issue 16 item 4) journal exactly the names and
/// text the hand-built maps journaled before them: later steps of runs journaled by an earlier
/// version (`versionsFrom`, `aclVersionMap`, the move's approval counts) read them by these names.
@Suite struct S3CopyOutputsTests {
    @Test func aCopyOfCurrentVersionsJournalsWhatTheMapDid() throws {
        var summary = S3ObjectCopier.Summary(objects: 10_000)
        summary.copied = 9_000
        summary.skipped = 990
        summary.vanished = 10
        summary.deleted = 3
        summary.bytesCopied = 5_000_000_000_000  // 5 TB: above what a 32-bit count holds
        summary.inspected = 7
        summary.throttled = 40
        summary.concurrencyPeak = 512
        summary.concurrencyFinal = 256
        summary.halvings = 1
        #expect(
            try StepValues.outputs(summary.outputs) == [
                "versions": "current", "objects": "10000", "copied": "9000", "skipped": "990", "vanished": "10", "deleted": "3",
                "bytesCopied": "5000000000000", "inspected": "7", "throttled": "40", "concurrencyPeak": "512",
                "concurrencyFinal": "256", "concurrencyHalvings": "1",
            ])
    }

    @Test func aHistoryCopyJournalsWhatTheMapDid() throws {
        var summary = S3VersionCopier.Summary(keys: 4, entries: 9, copiedVersions: 5, copiedMarkers: 3, present: 1)
        summary.deleted = 2
        summary.bytesCopied = 4096
        summary.relisted = 1
        let plain = try StepValues.outputs(summary.outputs)
        #expect(
            plain == [
                "versions": "all", "objects": "4", "historyEntries": "9", "copied": "8", "copiedVersions": "5",
                "copiedDeleteMarkers": "3", "skipped": "1", "deleted": "2", "bytesCopied": "4096", "relisted": "1",
            ])

        summary.aclVersionMap = S3ACLVersionMap(keys: ["logo.png": ["copy-v2": "source-v1"]])
        let mapped = try StepValues.outputs(summary.outputs)
        #expect(mapped["aclVersionMap"] == #"{"keys":{"logo.png":{"copy-v2":"source-v1"}}}"#)
        let read = try S3ACLVersionMap.decode(try #require(mapped["aclVersionMap"]))
        #expect(read.capturedVersion(key: "logo.png", copyVersionId: "copy-v2") == "source-v1")
        #expect(mapped.filter { $0.key != "aclVersionMap" } == plain)
    }

    @Test func aVerificationJournalsWhatTheMapDid() throws {
        let current = S3VerifyOutputs(objects: 12, bytes: 9_007_199_254_740_992, hashedLocally: 2, sameETag: 9, comparedBySHA256: 3)
        #expect(
            try StepValues.outputs(current) == [
                "objects": "12", "bytes": "9007199254740992", "hashedLocally": "2", "sameETag": "9", "comparedBySHA256": "3",
            ])

        var counted = current
        counted.bytes = 100
        counted.noncurrentVersions = 4
        counted.deleteMarkers = 1
        counted.noncurrentBytes = 2048
        #expect(
            try StepValues.outputs(counted) == [
                "objects": "12", "bytes": "100", "hashedLocally": "2", "sameETag": "9", "comparedBySHA256": "3",
                "noncurrentVersions": "4", "deleteMarkers": "1", "noncurrentBytes": "2048",
            ])

        let history = S3VerifyOutputs(
            versions: .all, objects: 4, bytes: 100, hashedLocally: 0, sameETag: 8, comparedBySHA256: 1, historyEntries: 9, deleteMarkers: 3,
            noncurrentVersions: 2)
        #expect(
            try StepValues.outputs(history) == [
                "versions": "all", "objects": "4", "historyEntries": "9", "deleteMarkers": "3", "noncurrentVersions": "2",
                "bytes": "100", "hashedLocally": "0", "sameETag": "8", "comparedBySHA256": "1",
            ])
    }
}
