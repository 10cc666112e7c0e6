import AWSServices
import Foundation
import Testing

@testable import Steps

/// The delta pass of `s3.copy-objects` from the two listings alone (issue 19).
@Suite struct S3CopyDeltaTests {
    static let t0 = Date(timeIntervalSinceReferenceDate: 800_000_000)

    static func object(_ key: String, size: Int64 = 100, eTag: String? = "\"aaa\"", at seconds: TimeInterval = 0) -> S3ObjectSummary {
        S3ObjectSummary(key: key, lastModified: t0.addingTimeInterval(seconds), eTag: eTag, size: size)
    }

    @Test func sameKeySizeAndETagOfANewerCopyIsUnchanged() {
        let delta = S3CopyDelta(
            source: [Self.object("a", eTag: "\"e1\""), Self.object("b", eTag: "e2", at: 5)],
            destination: [Self.object("a", eTag: "\"e1\"", at: 10), Self.object("b", eTag: "\"e2\"", at: 5)])
        #expect(delta.unchanged.map(\.key) == ["a", "b"], "quotes do not matter; the same second counts as not older")
        #expect(delta.toCopy.isEmpty)
        #expect(delta.extra.isEmpty)
    }

    @Test func missingResizedRewrittenOrOlderObjectsAreCopied() {
        let source = [
            Self.object("missing"),
            Self.object("resized", size: 101),
            Self.object("rewritten", eTag: "\"new\""),
            // Same bytes, rewritten after the copy (metadata changed in place): the newer LastModified shows it.
            Self.object("touched", at: 60),
            Self.object("no-etag", eTag: nil),
            Self.object("same"),
        ]
        let destination = [
            Self.object("resized", at: 30), Self.object("rewritten", eTag: "\"old\"", at: 30), Self.object("touched", at: 30),
            Self.object("no-etag", eTag: nil, at: 30), Self.object("same", at: 30), Self.object("stale", at: 30),
        ]
        let delta = S3CopyDelta(source: source, destination: destination)
        #expect(delta.toCopy.map(\.key) == ["missing", "resized", "rewritten", "touched", "no-etag"])
        #expect(delta.unchanged.map(\.key) == ["same"])
        #expect(delta.extra == ["stale"])
    }

    @Test func multipartSourceAgainstItsSinglePartCopyIsCopiedAgainNeverCalledUnchanged() {
        let delta = S3CopyDelta(
            source: [Self.object("big", size: 20_000_000, eTag: "\"9b2cf535f27731c974343645a3985328-3\"")],
            destination: [Self.object("big", size: 20_000_000, eTag: "\"d41d8cd98f00b204e9800998ecf8427e\"", at: 30)])
        #expect(delta.toCopy.map(\.key) == ["big"])
    }

    @Test func fiftyThousandKeysAreComparedInMemory() {
        let count = 50_000
        let source = (0..<count).map { Self.object(String(format: "images/%07d.jpg", $0), eTag: "\"e\($0)\"") }
        var destination = source.map {
            var copy = $0
            copy.lastModified = Self.t0.addingTimeInterval(60)
            return copy
        }
        destination[7].eTag = "\"changed\""
        destination.removeLast()
        let delta = S3CopyDelta(source: source, destination: destination)
        #expect(delta.toCopy.map(\.key) == [source[7].key, source[count - 1].key])
        #expect(delta.unchanged.count == count - 2)
    }
}
