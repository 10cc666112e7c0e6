import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// The history copy (`versions: all`, issue 17): every version and delete marker of every key,
/// oldest → newest, so the destination has the same history per key in the same order (new
/// version IDs; LastModified is the copy's time, AWS-NOTES-2 VER-1).
///
/// - A version: CopyObject with `x-amz-copy-source: bucket/key?versionId=…` (metadata, tags,
///   storage class, a full-object SHA-256 as the plain copy does; HeadObject of that version
///   first where the listing is not enough: KMS keys to map, website redirects, above 5 GiB).
/// - A delete marker: DeleteObject without a version ID on the destination key, which adds a
///   marker in a versioning-enabled bucket (AWS-NOTES-2 VER-3), issued by the destination's owner.
/// - The destination must have versioning `Enabled` (a suspended or unversioned bucket keeps only
///   a `null` version per key): `enableVersioning` lets the copier turn it on (a bucket the run
///   created, a move's staging or re-created bucket), else it stops and says so;
///   `suspendAfter` puts a source's `Suspended` state back once the history is in.
/// - Not idempotent: a CopyObject landing twice is two versions. So each call is `irreversible`
///   (never resent after a lost answer), and before a key's chain is copied the destination's
///   chain is listed and matched against it (`S3VersionChain.match`: order, kind, size, ETag or
///   stored SHA-256): the copy continues after the entries already there, never duplicates one.
///   A lost answer lists that key again. This is what makes a resumed copy after a crash (or any
///   retry) safe, whatever the journal recorded.
/// - A destination chain that is not a beginning of the source's (someone wrote there; the
///   source's old versions expired): with `mirror` (the move's own staging and re-created
///   bucket) its versions of that key are deleted and the chain copied whole; without, the key
///   fails with what differs (a retry does not help; a person decides).
/// - Keys are copied in parallel (`concurrency`), each key's chain strictly in order.
/// - The old → new mapping is journaled in batches (`S3VersionJournal`).
struct S3VersionCopier: Sendable {
    let plain: S3ObjectCopier
    let enableVersioning: Bool
    let suspendAfter: Bool
    /// Whether every version needs HeadObject for its website redirect location.
    var inspectEach = false
    /// Source versions (key → version IDs) whose captured ACL grants a later copy out of this
    /// destination must find again: the copy outputs which destination version each became
    /// (`aclVersionMap`, S3ObjectACL+Versions.swift). Empty: no map.
    var mapACLVersions: [String: Set<String>] = [:]

    var source: S3Session { plain.source }
    var destination: S3Session { plain.destination }
    var from: S3Location { plain.from }
    var to: S3Location { plain.to }
    var sourceOwner: String? { plain.fromOwnerId ?? plain.source.accountId }

    struct Summary: Sendable, Equatable {
        var keys = 0
        var entries = 0
        var copiedVersions = 0
        var copiedMarkers = 0
        /// Entries the destination already held (a resumed or repeated copy).
        var present = 0
        /// Destination versions deleted: diverged chains (mirror) and keys the source lacks.
        var deleted = 0
        var bytesCopied: Int64 = 0
        var relisted = 0
        /// Destination version → source version, for `mapACLVersions`; nil when none asked.
        var aclVersionMap: S3ACLVersionMap?

        var outputs: S3CopyOutputs {
            S3CopyOutputs(
                versions: .all, objects: keys, copied: copiedVersions + copiedMarkers, skipped: present, deleted: deleted,
                bytesCopied: bytesCopied, historyEntries: entries, copiedVersions: copiedVersions, copiedDeleteMarkers: copiedMarkers,
                relisted: relisted, aclVersionMap: aclVersionMap.flatMap { try? $0.json() })
        }
    }

    private struct KeyOutcome: Sendable {
        var summary = Summary()
        var failure: StepError?
        /// Destination version → source version of this key's versions in `mapACLVersions`.
        var aclVersions: [String: String] = [:]
    }

    /// Lost answers one key may meet before its failure is the step's (retried by its policy).
    static let maxAmbiguousAnswers = 3

    func run(_ context: StepContext) async throws -> Summary {
        try await prepareDestination(context)
        async let listedSource = source.read(from.bucket) {
            try await S3VersionChains.list($0, bucket: from.bucket, expectedBucketOwner: plain.fromOwnerId)
        }
        async let listedDestination = destination.read(to.bucket) { try await S3VersionChains.list($0, bucket: to.bucket) }
        let chains = try await listedSource
        var there: [String: S3VersionChain] = [:]
        for chain in try await listedDestination { there[chain.key] = chain }

        let copies = S3VersionJournal(
            boundary: AWSCallBoundary(context: context, service: "s3", region: source.region), operation: "CopyObject",
            account: source.label, scope: "\(from.bucket) → \(to.bucket)")
        let markers = S3VersionJournal(
            boundary: AWSCallBoundary(context: context, service: "s3", region: destination.region), operation: "DeleteObject",
            account: destination.label, scope: "\(to.bucket) delete markers as in \(from.bucket)")
        let matched = S3VersionJournal(
            boundary: AWSCallBoundary(context: context, service: "s3", region: destination.region), operation: "ListObjectVersions",
            account: destination.label, scope: "\(from.bucket) → \(to.bucket) already copied", mutating: false)
        var summary = Summary(keys: chains.count, entries: chains.reduce(0) { $0 + $1.entries.count })
        if !mapACLVersions.isEmpty { summary.aclVersionMap = S3ACLVersionMap(keys: [:]) }
        var failures: [(String, StepError)] = []
        await context.progress(
            "copying the history of \(chains.count) keys (\(summary.entries) versions and delete markers) from \(from) to \(to)")
        let limit = max(1, plain.concurrency)
        try await withThrowingTaskGroup(of: (String, KeyOutcome).self) { group in
            var next = 0
            func launch() {
                let chain = chains[next]
                let present = there[chain.key]?.entries ?? []
                next += 1
                group.addTask {
                    (chain.key, await self.copy(chain, present: present, journals: (copies, markers, matched), context: context))
                }
            }
            while next < chains.count && next < limit { launch() }
            var done = 0
            while let (key, outcome) = try await group.next() {
                done += 1
                summary.copiedVersions += outcome.summary.copiedVersions
                summary.copiedMarkers += outcome.summary.copiedMarkers
                summary.present += outcome.summary.present
                summary.deleted += outcome.summary.deleted
                summary.bytesCopied += outcome.summary.bytesCopied
                summary.relisted += outcome.summary.relisted
                if !outcome.aclVersions.isEmpty { summary.aclVersionMap?.keys[key] = outcome.aclVersions }
                if let failure = outcome.failure { failures.append((key, failure)) }
                if done % 200 == 0 { await context.progress("history of \(done) of \(chains.count) keys copied") }
                if next < chains.count { launch() }
            }
        }
        try await copies.flush()
        try await markers.flush()
        try await matched.flush()
        try Task.checkCancellation()
        if !failures.isEmpty { throw failure(failures, keys: chains.count) }
        if plain.mirror {
            let keys = Set(chains.map(\.key))
            let extra = there.values.filter { !keys.contains($0.key) }.sorted { $0.key < $1.key }.flatMap(\.entries)
            summary.deleted += try await deleteVersions(extra, context: context)
        }
        if suspendAfter { try await setVersioning("Suspended", context: context) }
        return summary
    }

    // MARK: Destination versioning

    private func prepareDestination(_ context: StepContext) async throws {
        let state = try await destination.read(to.bucket) { try await $0.getBucketVersioning(bucket: to.bucket) }
        guard !state.isEnabled else { return }
        guard enableVersioning else {
            throw StepError(
                code: "DestinationNotVersioned",
                message: "\(to) has versioning \(state.status ?? "never enabled"), so it can hold only one version per key and the "
                    + "history of \(from) cannot be copied into it. Enable versioning on \(to.bucket) (PutBucketVersioning "
                    + "Enabled), or write `versions: current` in the step to copy only the current versions",
                retryable: false, account: destination.label, resource: to.bucket)
        }
        try await setVersioning("Enabled", context: context)
    }

    private func setVersioning(_ status: String, context: StepContext) async throws {
        _ = try await destination.mutate(context, "PutBucketVersioning", resource: to.bucket, requestId: \.requestId) {
            try await $0.putBucketVersioning(bucket: to.bucket, S3VersioningConfiguration(status: status))
        }
    }

    // MARK: One key

    private func copy(
        _ chain: S3VersionChain, present initial: [S3ObjectVersion],
        journals: (copies: S3VersionJournal, markers: S3VersionJournal, matched: S3VersionJournal), context: StepContext
    ) async -> KeyOutcome {
        let (copies, markers) = (journals.copies, journals.markers)
        var outcome = KeyOutcome()
        let granted = mapACLVersions[chain.key] ?? []
        var present = initial
        var ambiguous = 0
        var first = true
        do {
            while true {
                try Task.checkCancellation()
                var start: Int
                switch try await chain.match(present, decide: sameContent) {
                case .prefix(let n):
                    start = n
                case .diverged(let at, let reason):
                    guard plain.mirror else {
                        throw StepError(
                            code: "HistoryDiverged",
                            message: "\(to)/\(chain.key) already holds a history that is not the beginning of the one in \(from) "
                                + "(\(reason), of \(present.count) there): copying on would not give the same history. Delete the "
                                + "versions of that key in \(to.bucket), or copy into an empty bucket",
                            retryable: false, account: destination.label, resource: "\(to.bucket)/\(chain.key)")
                    }
                    await context.progress("\(to.bucket)/\(chain.key): history differs at entry \(at + 1) (\(reason)); replaced")
                    outcome.summary.deleted += try await deleteVersions(present, context: context)
                    present = []
                    start = 0
                }
                if first {
                    first = false
                    outcome.summary.present = start
                    // What an earlier attempt copied (its mapping maybe lost with a crash): journaled as found.
                    for index in 0..<start {
                        let entry = chain.entries[index]
                        try await journals.matched.succeeded(
                            AWSCallRecord.VersionCopy(
                                key: chain.key, sourceVersionId: entry.versionId, versionId: present[index].versionId,
                                deleteMarker: entry.isDeleteMarker, position: index + 1),
                            requestId: nil, retries: 0)
                    }
                }
                // Which destination version each granted source version is, for the copy out of
                // here (also after a lost answer: the relisted entry may be the one just copied).
                for index in 0..<start where granted.contains(chain.entries[index].versionId) {
                    outcome.aclVersions[present[index].versionId] = chain.entries[index].versionId
                }
                do {
                    while start < chain.entries.count {
                        let entry = chain.entries[start]
                        let (bytes, newId) = try await reproduce(
                            entry, position: start + 1, copies: copies, markers: markers, context: context)
                        if let newId, granted.contains(entry.versionId) { outcome.aclVersions[newId] = entry.versionId }
                        if entry.isDeleteMarker { outcome.summary.copiedMarkers += 1 } else { outcome.summary.copiedVersions += 1 }
                        outcome.summary.bytesCopied += bytes
                        start += 1
                    }
                    return outcome
                } catch let error as AWSError where error.origin == .transport && ambiguous < Self.maxAmbiguousAnswers {
                    // The answer was lost: the version may or may not be there. Look, then go on.
                    ambiguous += 1
                    outcome.summary.relisted += 1
                    present = try await destination.read("\(to.bucket)/\(chain.key)") {
                        try await S3VersionChains.chain($0, bucket: to.bucket, key: chain.key)
                    }.entries
                }
            }
        } catch let error as StepError {
            outcome.failure = error
        } catch let error as AWSError {
            outcome.failure = StepError(
                code: error.code, message: error.message,
                retryable: RetryClassifier.classify(code: error.code, status: error.httpStatus) != .notRetryable,
                account: error.account ?? source.label, resource: "\(from.bucket)/\(chain.key)", requestId: error.requestId)
        } catch {
            outcome.failure = StepError(code: "Cancelled", message: "stopped", retryable: true)
        }
        return outcome
    }

    /// Copies one entry; returns the bytes copied and the destination's new version ID.
    private func reproduce(
        _ entry: S3ObjectVersion, position: Int, copies: S3VersionJournal, markers: S3VersionJournal, context: StepContext
    ) async throws -> (Int64, String?) {
        let key = entry.key
        if entry.isDeleteMarker {
            let receipt: S3Receipt
            do {
                receipt = try await destination.client.deleteObject(
                    bucket: to.bucket, key: key, expectedBucketOwner: destination.accountId, irreversible: true)
            } catch let error as AWSError {
                try await markers.failed(
                    resource: "\(to.bucket)/\(key)", code: error.code, requestId: error.requestId, retries: max(0, error.attempts - 1))
                throw error
            }
            try await markers.succeeded(
                AWSCallRecord.VersionCopy(
                    key: key, sourceVersionId: entry.versionId, versionId: receipt.versionId ?? "null", deleteMarker: true,
                    position: position),
                requestId: receipt.requestId, retries: 0)
            return (0, receipt.versionId)
        }
        let size = entry.size ?? 0
        let needsHead = inspectEach || !plain.kmsKeys.isEmpty || size > plain.singleRequestLimit
        var options = S3WriteOptions()
        options.storageClass = entry.storageClass == nil || entry.storageClass == "STANDARD" ? nil : entry.storageClass
        var eTag = entry.eTag
        if needsHead {
            guard
                let metadata = try await source.client.headObject(
                    bucket: from.bucket, key: key, versionId: entry.versionId, expectedBucketOwner: plain.fromOwnerId)
            else {
                throw StepError(
                    code: "VersionVanished",
                    message: "version \(entry.versionId) of \(from)/\(key) disappeared during the copy (lifecycle expiry or a "
                        + "delete of that version); a retry copies the history as it is now",
                    retryable: true, account: source.label, resource: "\(from.bucket)/\(key)")
            }
            if metadata.contentLength > plain.singleRequestLimit {
                let tags =
                    (metadata.tagCount ?? 0) > 0
                    ? try await source.client.getObjectTagging(
                        bucket: from.bucket, key: key, versionId: entry.versionId, expectedBucketOwner: plain.fromOwnerId)
                    : []
                // The version's own grants, not the key's current ones (CreateMultipartUpload takes them).
                let grants = try await plain.objectGrants?.grants(for: key, versionId: entry.versionId, isLatest: entry.isLatest)
                try await plain.multipartCopy(
                    key, versionId: entry.versionId, metadata: metadata, tags: tags, grants: grants, context: context)
                let newest = try await destination.read("\(to.bucket)/\(key)") {
                    try await S3VersionChains.chain($0, bucket: to.bucket, key: key)
                }.entries.last
                try await copies.succeeded(
                    AWSCallRecord.VersionCopy(
                        key: key, sourceVersionId: entry.versionId, versionId: newest?.versionId ?? "null", position: position),
                    requestId: nil, retries: 0)
                return (metadata.contentLength, newest?.versionId)
            }
            options.storageClass = metadata.storageClass == "STANDARD" ? nil : metadata.storageClass
            options.websiteRedirectLocation = metadata.websiteRedirectLocation
            plain.applyEncryption(from: metadata, to: &options)
            eTag = metadata.eTag
        }
        // Each version's own ACL (S3ObjectACL+Versions.swift), in the same request.
        options.grants = try await plain.objectGrants?.grants(for: key, versionId: entry.versionId, isLatest: entry.isLatest)
        var request = S3CopyObjectRequest(
            sourceBucket: from.bucket, sourceKey: key, sourceVersionId: entry.versionId, bucket: to.bucket, key: key,
            metadataDirective: .copy, taggingDirective: .copy, options: options, checksumAlgorithm: "SHA256",
            expectedSourceBucketOwner: sourceOwner, expectedBucketOwner: destination.accountId, sourceIfMatch: eTag)
        request.irreversible = true
        let result: S3CopyResult
        do {
            result = try await source.client.copyObject(request)
        } catch let error as AWSError {
            try await copies.failed(
                resource: "\(from.bucket)/\(key)?versionId=\(entry.versionId) → \(to.bucket)/\(key)", code: error.code,
                requestId: error.requestId, retries: max(0, error.attempts - 1))
            if error.code == .noSuchVersion || error.code == .noSuchKey {
                throw StepError(
                    code: "VersionVanished",
                    message:
                        "version \(entry.versionId) of \(from)/\(key) disappeared during the copy; a retry copies the history as it is now",
                    retryable: true, account: source.label, resource: "\(from.bucket)/\(key)", requestId: error.requestId)
            }
            throw error
        }
        guard let newId = result.versionId else {
            throw StepError(
                code: "DestinationNotVersioned",
                message: "CopyObject into \(to)/\(key) returned no version ID: versioning on \(to.bucket) was suspended during the "
                    + "copy, so the history cannot be kept. Enable it again and retry",
                retryable: false, account: destination.label, resource: to.bucket, requestId: result.requestId)
        }
        try await copies.succeeded(
            AWSCallRecord.VersionCopy(key: key, sourceVersionId: entry.versionId, versionId: newId, position: position),
            requestId: result.requestId, retries: result.throttledAttempts)
        return (size, newId)
    }

    /// Settles an entry the listings cannot (ETags not comparable): nil when both sides store the
    /// same full-object SHA-256, or when either stores none (size and kind already agree);
    /// otherwise why they differ.
    private func sameContent(_ entry: S3ObjectVersion, _ copy: S3ObjectVersion) async throws -> String? {
        let left = try await source.read("\(from.bucket)/\(entry.key)") {
            try await $0.headObject(bucket: from.bucket, key: entry.key, versionId: entry.versionId, expectedBucketOwner: plain.fromOwnerId)
        }
        let right = try await destination.read("\(to.bucket)/\(copy.key)") {
            try await $0.headObject(bucket: to.bucket, key: copy.key, versionId: copy.versionId)
        }
        guard let left, let right else { return "version gone while comparing" }
        guard let a = S3ObjectCopier.fullObjectSHA256(left), let b = S3ObjectCopier.fullObjectSHA256(right) else { return nil }
        return a == b ? nil : "SHA-256 differs"
    }

    // MARK: Deleting versions (mirror)

    private func deleteVersions(_ entries: [S3ObjectVersion], context: StepContext) async throws -> Int {
        var deleted = 0
        var start = 0
        while start < entries.count {
            let batch = entries[start..<min(start + S3Client.maxKeysPerDelete, entries.count)].map(\.identifier)
            start += batch.count
            let result = try await destination.mutate(context, "DeleteObjects", resource: to.bucket, requestId: \.requestId) {
                try await $0.deleteObjects(bucket: to.bucket, objects: batch, quiet: true)
            }
            if let first = result.errors.first {
                throw StepError(
                    code: first.code,
                    message: "\(result.errors.count) versions of \(to) that differ from \(from) could not be deleted, e.g. "
                        + "\(first.key)@\(first.versionId ?? "?"): \(first.message)",
                    retryable: false, account: destination.label, resource: to.bucket, requestId: result.requestId)
            }
            deleted += batch.count
        }
        return deleted
    }

    private func failure(_ failures: [(String, StepError)], keys: Int) -> StepError {
        let retryable = failures.allSatisfy { $0.1.retryable }
        let sample = failures.prefix(10).map { "\($0.0) (\($0.1.code))" }.joined(separator: ", ")
        let first = failures[0].1
        return StepError(
            code: retryable ? StepErrorCode.transient : first.code,
            message: "the history of \(failures.count) of \(keys) keys from \(from) could not be copied to \(to): \(sample)"
                + (failures.count > 10 ? ", …" : "") + "; first error: \(first.message)"
                + (retryable ? ". A retry lists what is there and copies only what is missing." : ""),
            retryable: retryable, account: first.account ?? source.label, resource: from.bucket, requestId: first.requestId)
    }
}
