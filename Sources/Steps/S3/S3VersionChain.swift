import AWSClient
import AWSServices
import Foundation
import Runbook

/// One key's history in a versioned bucket, oldest first: every version and delete marker as
/// ListObjectVersions lists them (newest first within a key, markers between the versions they
/// fall between; `S3VersionListing.entries` keeps that order, so no merge by LastModified, whose
/// ties would be ambiguous — AWS-NOTES-2 VER-2).
///
/// A history copy (`S3VersionCopier`) reproduces each entry in this order, so the copy has the
/// same history (new version IDs, LastModified = copy time, AWS-NOTES-2 VER-1); verification
/// (`S3VersionVerifier`) compares two chains entry by entry.
struct S3VersionChain: Sendable, Equatable {
    let key: String
    /// Oldest → newest; the last is the current version (or a delete marker: the key is deleted).
    var entries: [S3ObjectVersion]

    var versions: Int { entries.count { !$0.isDeleteMarker } }
    var deleteMarkers: Int { entries.count { $0.isDeleteMarker } }
    /// Versions that are not the current one (what `versions: current` leaves behind).
    var noncurrentVersions: Int { entries.dropLast().count { !$0.isDeleteMarker } }
    var bytes: Int64 { entries.reduce(0) { $0 + ($1.size ?? 0) } }
    var noncurrentBytes: Int64 { entries.dropLast().reduce(0) { $0 + ($1.size ?? 0) } }
    /// The current version, nil when the key's newest entry is a delete marker.
    var current: S3ObjectVersion? { entries.last.flatMap { $0.isDeleteMarker ? nil : $0 } }

    /// How the chain already in the destination relates to the chain to copy.
    enum Match: Sendable, Equatable {
        /// The first `n` entries are there, in order; copy from `n` on.
        case prefix(Int)
        /// Entry `at` differs (or the destination has more): the destination's history is not a
        /// beginning of the source's, and copying on would not give the same history.
        case diverged(at: Int, reason: String)
    }

    /// What one destination entry proves about one source entry, from the listings alone.
    enum EntryMatch: Sendable, Equatable {
        case same
        case different(String)
        /// Same kind and size, ETags not comparable (multipart source, SSE-KMS copy): the
        /// caller compares the stored SHA-256 (HeadObject).
        case undecided
    }

    static func compare(_ source: S3ObjectVersion, _ copy: S3ObjectVersion) -> EntryMatch {
        if source.isDeleteMarker || copy.isDeleteMarker {
            return source.isDeleteMarker == copy.isDeleteMarker
                ? .same
                : .different(
                    source.isDeleteMarker ? "a delete marker, but a version in the copy" : "a version, but a delete marker in the copy")
        }
        guard source.size == copy.size else { return .different("size \(source.size ?? 0), \(copy.size ?? 0) in the copy") }
        guard let left = source.eTag.map(S3CopyDelta.unquoted), let right = copy.eTag.map(S3CopyDelta.unquoted) else {
            return .undecided
        }
        if left == right { return .same }
        // Two single-part MD5 ETags that differ are different bytes; anything opaque is undecided.
        let opaque = left.contains("-") || right.contains("-")
        return opaque ? .undecided : .different("ETag \(left), \(right) in the copy")
    }

    /// Matches the destination's chain against this (source) chain, entry by entry from the
    /// oldest; `decide` settles the entries the listings cannot (nil: treat as the same).
    func match(
        _ copy: [S3ObjectVersion], decide: (S3ObjectVersion, S3ObjectVersion) async throws -> String?
    ) async throws -> Match {
        for (index, present) in copy.enumerated() {
            guard index < entries.count else {
                return .diverged(at: index, reason: "the copy has \(copy.count) entries, the source \(entries.count)")
            }
            switch Self.compare(entries[index], present) {
            case .same: continue
            case .different(let reason): return .diverged(at: index, reason: "entry \(index + 1) is \(reason)")
            case .undecided:
                if let reason = try await decide(entries[index], present) {
                    return .diverged(at: index, reason: "entry \(index + 1): \(reason)")
                }
            }
        }
        return .prefix(copy.count)
    }
}

/// Listing whole histories.
enum S3VersionChains {
    /// Every key's chain, keys in listing order. Each key's entries are ordered newest first by
    /// `IsLatest`, then LastModified, then the listing's own order: S3 lists a key's versions and
    /// markers interleaved, newest first, so a tie in LastModified (entries written within the
    /// same listed instant) keeps S3's order; moto lists all versions before all markers
    /// (docs/MOTO-FINDINGS.md), which LastModified sorts out when the entries are a second apart.
    static func list(
        _ client: S3Client, bucket: String, prefix: String? = nil, expectedBucketOwner: String? = nil
    ) async throws
        -> [S3VersionChain]
    {
        var keys: [String] = []
        var byKey: [String: [(S3ObjectVersion, Int)]] = [:]
        var position = 0
        for try await page in client.listObjectVersionsPages(bucket: bucket, prefix: prefix, expectedBucketOwner: expectedBucketOwner) {
            for entry in page.entries {
                if byKey[entry.key] == nil { keys.append(entry.key) }
                byKey[entry.key, default: []].append((entry, position))
                position += 1
            }
        }
        return keys.map { key in
            let newestFirst = byKey[key, default: []].sorted { a, b in
                if a.0.isLatest != b.0.isLatest { return a.0.isLatest }
                if a.0.lastModified != b.0.lastModified { return a.0.lastModified > b.0.lastModified }
                return a.1 < b.1
            }
            return S3VersionChain(key: key, entries: newestFirst.reversed().map(\.0))
        }
    }

    /// One key's chain, listed again (after a lost answer, to see what landed).
    static func chain(_ client: S3Client, bucket: String, key: String, expectedBucketOwner: String? = nil) async throws -> S3VersionChain {
        let chains = try await list(client, bucket: bucket, prefix: key, expectedBucketOwner: expectedBucketOwner)
        return chains.first { $0.key == key } ?? S3VersionChain(key: key, entries: [])
    }

    /// Whether a bucket keeps history: versioning `Enabled` or `Suspended` (a suspended bucket
    /// still holds the versions written while it was enabled).
    static func isVersioned(_ client: S3Client, bucket: String, expectedBucketOwner: String? = nil) async throws -> Bool {
        let status = try await client.getBucketVersioning(bucket: bucket, expectedBucketOwner: expectedBucketOwner).status
        return status != nil
    }
}

/// `versions:` of `s3.copy-objects` and `s3.move-bucket`.
enum S3VersionsMode: String, Sendable, CaseIterable {
    /// Every version and delete marker, per key, oldest → newest (the default on a versioned source).
    case all
    /// Only the current versions, as before (must be written; the move's approval then says what is destroyed).
    case current
}

extension S3VersionsMode {
    static let input = StepInput(
        "versions", .string,
        summary:
            "`all` copies every noncurrent version and delete marker, oldest to newest (the default when the source is versioned); `current` only the current versions (must be written; the history left behind is destroyed with the source)."
    )

    /// Reads `with.versions`; nil when not written (the source's versioning decides when the step
    /// runs). `versions: all` with `engine: batch-operations` is refused: a job keeps no order.
    static func read(_ reader: inout StepInputReader) -> S3VersionsMode? {
        guard let value = reader.value("versions") else { return nil }
        guard let text = reader.string("versions"), let mode = S3VersionsMode(rawValue: text) else {
            reader.report(
                "bad-value", "`with.versions` must be `all` or `current`", hint: "leave it out to copy the history of a versioned source",
                at: value)
            return nil
        }
        if mode == .all, reader.string("engine") == "batch-operations" {
            reader.report(
                "bad-value",
                "`with.versions: all` cannot use `engine: batch-operations`: a Batch Operations job copies current versions only, in no order, so no key would keep its history",
                hint: "use `engine: per-object` or `auto` (which copies a versioned source per object), or write `versions: current`",
                at: reader.value("engine") ?? value)
        }
        return mode
    }

    /// What the plan title says about history.
    static func titleNote(_ mode: S3VersionsMode?) -> String {
        switch mode {
        case .all: return "; every version and delete marker, per key oldest to newest"
        case .current: return "; current versions only (versions: current)"
        case nil: return "; a versioned source with every version and delete marker, per key oldest to newest"
        }
    }
}
