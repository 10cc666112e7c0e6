import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// The copy engine: a server-side copy of every object from one bucket to another, as many
/// requests in flight as S3 takes (`S3ConcurrencyController`).
///
/// - One request per ordinary object (issue 19): both buckets are listed (prefixes in parallel),
///   the delta comes from the two listings (`S3CopyDelta`: key, size, ETag), and each object to
///   copy is one CopyObject with `x-amz-metadata-directive: COPY` (content headers and user
///   metadata) and `x-amz-tagging-directive: COPY` (tags; the issuing source account reads them
///   with its own s3:GetObjectTagging), the storage class from the listing (S3 never carries it),
///   `x-amz-copy-source-if-match` with the listed ETag (copy the version listed, or notice it
///   changed), and a full-object SHA-256 (`x-amz-checksum-algorithm`) for verification.
/// - HeadObject (and GetObjectTagging) only where the listing cannot say enough: objects above
///   5 GiB (UploadPartCopy, which carries neither metadata nor tags), SSE-KMS objects when the
///   runbook maps KMS keys (the key is only in HeadObject), sources whose objects may carry
///   website redirects (S3 never copies `x-amz-website-redirect-location`), and a source that
///   changed after the listing (`PreconditionFailed`).
/// - Object ACLs: S3 never copies them; with `objectGrants` each copy sets the ACL it names in
///   the same request (`x-amz-grant-*`, S3ObjectACL.swift): the move's captured grants (no extra
///   request), or the source object's own (one GetObjectAcl per object, only where the source
///   has ACLs enabled).
/// - Resumable and incremental: a second pass copies only what the listings show differ, so a
///   retry after a crash continues where the last stopped.
/// - Throttling and 5xx answers that outlast the client's retries are retried per object with
///   backoff; what still fails is reported (retryable) so the engine's policy takes over.
///   Successful copies are journaled in batches (`AWSCallBatch`), failures one by one.
/// - `mirror`: keys at the destination that the source no longer has are deleted, so the copy is
///   exactly the source (the staging copy of a move must not resurrect deleted objects).
struct S3ObjectCopier: Sendable {
    /// Session of the source's account: reads the source and issues the copies (it is the
    /// account that can read its own objects and keys; the destination grants it write).
    let source: S3Session
    /// Session of the destination's account: lists and inspects the destination.
    let destination: S3Session
    let from: S3Location
    let to: S3Location
    /// Copy requests in flight at the start; the controller adapts it up to `maxConcurrency`.
    let concurrency: Int
    let mirror: Bool
    let kmsKeys: [String: String]
    let tuning: S3CopyTuning
    /// The account owning `from` when `source` (the session issuing the copies) is not it: the
    /// copy back of a rollback reads the staging bucket of the target account as the source
    /// account, through the read grant `ensure-bucket` gave it.
    var fromOwnerId: String? = nil
    /// The ceiling of the adaptive concurrency (at most 1,024).
    var maxConcurrency: Int = S3CopyTuning.defaultMaxConcurrency
    /// Whether objects may carry website redirect locations, which only HeadObject shows and S3
    /// never copies: nil lets the copier ask the source bucket (GetBucketWebsite).
    var websiteRedirects: Bool? = nil
    /// The ACL each copy sets (S3ObjectACL.swift); nil sets none, so copies are private.
    var objectGrants: S3ObjectGrants? = nil

    struct Summary: Sendable, Equatable {
        var objects = 0
        var copied = 0
        var skipped = 0
        var vanished = 0
        var deleted = 0
        var bytesCopied: Int64 = 0
        /// Objects that needed HeadObject (and more) before the copy.
        var inspected = 0
        /// Copies S3 throttled (on any attempt), the concurrency's peak and end, and its halvings.
        var throttled = 0
        var concurrencyPeak = 0
        var concurrencyFinal = 0
        var halvings = 0

        var outputs: S3CopyOutputs {
            S3CopyOutputs(
                versions: .current, objects: objects, copied: copied, skipped: skipped, deleted: deleted, bytesCopied: bytesCopied,
                vanished: vanished, inspected: inspected, throttled: throttled, concurrencyPeak: concurrencyPeak,
                concurrencyFinal: concurrencyFinal, concurrencyHalvings: halvings)
        }
    }

    private enum Result: Sendable {
        case copied(Int64, inspected: Bool)
        case skipped(Int64)
        case vanished
        case failed(key: String, StepError)
    }

    private struct Outcome: Sendable {
        var result: Result
        var latency: Duration
        var throttled: Bool
    }

    /// The copy's running totals, kept by the workers' schedule (`S3CopyScheduler`).
    private struct CopyTally: Sendable {
        var summary: Summary
        var progress: S3CopyProgress
        /// When progress was last reported, since the copy began.
        var reported: Duration
        var failures: [(String, StepError)] = []

        mutating func record(_ result: Result) {
            switch result {
            case .copied(let bytes, let inspected):
                summary.copied += 1
                summary.bytesCopied += bytes
                if inspected { summary.inspected += 1 }
                progress.record(size: bytes, copied: true)
            case .skipped(let size):
                summary.skipped += 1
                summary.inspected += 1
                progress.record(size: size, copied: false)
            case .vanished: summary.vanished += 1
            case .failed(let key, let error): failures.append((key, error))
            }
        }
    }

    func run(_ context: StepContext) async throws -> Summary {
        let parallelism = tuning.listingParallelism
        async let listedSource = source.read(from.bucket) {
            try await $0.listAllObjectsInParallel(bucket: from.bucket, parallelism: parallelism, expectedBucketOwner: fromOwnerId)
        }
        async let listedDestination = destination.read(to.bucket) {
            try await $0.listAllObjectsInParallel(bucket: to.bucket, parallelism: parallelism)
        }
        let sourceObjects = try await listedSource
        let existing = try await listedDestination
        let delta = S3CopyDelta(source: sourceObjects, destination: existing)
        let inspectEach = try await mustInspectEachObject()
        let work = delta.toCopy

        var summary = Summary(objects: sourceObjects.count)
        summary.skipped = delta.unchanged.count
        var progress = S3CopyProgress(objects: sourceObjects.count, bytes: sourceObjects.reduce(0) { $0 + $1.size })
        for object in delta.unchanged { progress.record(size: object.size, copied: false) }
        let controller = S3ConcurrencyController(initial: concurrency, ceiling: max(concurrency, maxConcurrency))
        let journal = AWSCallBatch(
            boundary: AWSCallBoundary(context: context, service: "s3", region: source.region), operation: "CopyObject",
            account: source.label, scope: "\(from.bucket) → \(to.bucket)")
        var atDestination: [String: S3ObjectSummary] = [:]
        if inspectEach || !kmsKeys.isEmpty {
            for object in existing { atDestination[object.key] = object }
        }
        let began = ContinuousClock.now
        await context.progress(
            "copying \(work.count) of \(sourceObjects.count) objects from \(from) to \(to) (\(delta.unchanged.count) unchanged)")
        let schedule = S3CopyScheduler(
            count: work.count, controller: controller, tally: CopyTally(summary: summary, progress: progress, reported: .zero))
        let present = atDestination
        /// One worker: copies the next object until none is left or the limit shrank below the
        /// running workers; returns how many workers to start because the limit grew (itself
        /// included, as it stops to say so).
        @Sendable func worker() async -> Int {
            // Every throttled attempt halves the limit when it happens, not when the client's
            // retry of it finally succeeds (AWSThrottleSignal.swift).
            await AWSThrottleSignal.$observer.withValue(AWSThrottleSignal { schedule.throttleSignalled(now: ContinuousClock.now - began) })
            {
                await copyObjects()
            }
        }
        @Sendable func copyObjects() async -> Int {
            while !Task.isCancelled, let index = schedule.take() {
                let object = work[index]
                let outcome = await process(object, present: present[object.key], inspect: inspectEach, journal: journal, context: context)
                let now = ContinuousClock.now - began
                let (add, report) = schedule.finished(
                    latency: outcome.latency, throttled: outcome.throttled, signalled: true, now: now
                ) {
                    tally, controller in
                    tally.record(outcome.result)
                    // At most twice a second: progress is for people, not the journal.
                    guard now - tally.reported >= .milliseconds(500) else { return nil as String? }
                    tally.reported = now
                    return tally.progress.text(elapsed: now.timeInterval) + ", \(controller.limit) in flight"
                }
                if let report { await context.progress(report) }
                if add > 0 {
                    // Only the task group's owner can start tasks: this worker stops and its place
                    // (still counted by the schedule) goes to one of the new ones.
                    return add + 1
                }
            }
            return 0
        }
        // The workers do little but send requests: on the transport's I/O thread, a request
        // and its answer cost no thread hop (CurlMultiLoop).
        let executor = source.client.client.transport.taskExecutor
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<schedule.start() { group.addTask(executorPreference: executor, operation: worker) }
            while let more = await group.next() {
                for _ in 0..<more { group.addTask(executorPreference: executor, operation: worker) }
            }
        }
        let tally = schedule.tally
        summary = tally.summary
        let failures = tally.failures
        let finalController = schedule.controller
        try await journal.flush()
        summary.throttled = finalController.throttled
        summary.concurrencyPeak = finalController.peak
        summary.concurrencyFinal = finalController.limit
        summary.halvings = finalController.halvings
        try Task.checkCancellation()
        if !failures.isEmpty { throw failure(failures, of: summary) }
        if mirror { summary.deleted = try await deleteExtra(delta.extra, context: context) }
        return summary
    }

    /// Whether every object needs a HeadObject first: when its website redirect location must
    /// be carried. The runbook's step says so (a move knows from the captured configuration);
    /// otherwise the source bucket is asked whether it is a website, and any doubt (the question
    /// refused) inspects every object rather than lose redirects.
    func mustInspectEachObject() async throws -> Bool {
        if let websiteRedirects { return websiteRedirects }
        do {
            return try await source.client.getBucketSubresource(.website, bucket: from.bucket, expectedBucketOwner: fromOwnerId) != nil
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return true
        }
    }

    // MARK: One object

    private func process(
        _ object: S3ObjectSummary, present: S3ObjectSummary?, inspect: Bool, journal: AWSCallBatch, context: StepContext
    ) async -> Outcome {
        let started = ContinuousClock.now
        var throttled = false
        var changed = false
        let result: Result
        do {
            result = try await tuning.retrying(account: source.label, resource: "\(from.bucket)/\(object.key)") {
                do {
                    if inspect || changed || !kmsKeys.isEmpty || object.size > singleRequestLimit {
                        return try await inspectAndCopy(object, present: present, context: context)
                    }
                    return try await copyAsListed(object, journal: journal, throttled: &throttled)
                } catch {
                    if let aws = error as? AWSError {
                        if RetryClassifier.classify(code: aws.code, status: aws.httpStatus) == .throttling || aws.httpStatus == 503 {
                            throttled = true
                        }
                        // The source changed after the listing: read it again (HeadObject) and copy what is there now.
                        if aws.code == .preconditionFailed, !changed {
                            changed = true
                            return try await inspectAndCopy(object, present: present, context: context)
                        }
                    }
                    throw error
                }
            }
        } catch let error as StepError {
            result = .failed(key: object.key, error)
        } catch {
            result = .failed(key: object.key, StepError(code: "Cancelled", message: "stopped", retryable: true))
        }
        return Outcome(result: result, latency: ContinuousClock.now - started, throttled: throttled)
    }

    /// CopyObject and nothing else: what the listing says is all the copy needs.
    private func copyAsListed(_ object: S3ObjectSummary, journal: AWSCallBatch, throttled: inout Bool) async throws -> Result {
        var options = S3WriteOptions()
        options.storageClass = object.storageClass == "STANDARD" ? nil : object.storageClass
        options.grants = try await objectGrants?.grants(for: object.key)
        let request = S3CopyObjectRequest(
            sourceBucket: from.bucket, sourceKey: object.key, bucket: to.bucket, key: object.key, metadataDirective: .copy,
            taggingDirective: .copy, options: options, checksumAlgorithm: "SHA256",
            expectedSourceBucketOwner: fromOwnerId ?? source.accountId, expectedBucketOwner: destination.accountId,
            sourceIfMatch: object.eTag)
        let result: S3CopyResult
        do {
            result = try await source.client.copyObject(request)
        } catch let error as AWSError {
            if error.code == .noSuchKey { return .vanished }
            try await journal.failed(
                "CopyObject", resource: "\(from.bucket)/\(object.key) → \(to.bucket)/\(object.key)", code: error.code,
                requestId: error.requestId, retries: max(0, error.attempts - 1))
            throw error
        }
        if result.throttledAttempts > 0 { throttled = true }
        try await journal.succeeded(object.key, requestId: result.requestId, retries: result.throttledAttempts)
        return .copied(object.size, inspected: false)
    }

    /// CopyObject's limit, or the tuning's lower threshold for multipart copies.
    var singleRequestLimit: Int64 { min(tuning.multipartThreshold, S3CopyTuning.copyObjectLimit) }

    /// The copy when the listing is not enough: HeadObject first (size, encryption, website
    /// redirect, current ETag), the destination's HeadObject when the same size is already there
    /// (SSE-KMS copies never share an ETag with their source), then one CopyObject, or a
    /// multipart copy above 5 GiB with the tags read explicitly (UploadPartCopy carries none).
    private func inspectAndCopy(_ object: S3ObjectSummary, present: S3ObjectSummary?, context: StepContext) async throws -> Result {
        let key = object.key
        guard let metadata = try await source.client.headObject(bucket: from.bucket, key: key, expectedBucketOwner: fromOwnerId)
        else { return .vanished }
        if let present, present.size == metadata.contentLength,
            let there = try await destination.client.headObject(bucket: to.bucket, key: key),
            Self.sameObject(metadata, there)
        {
            return .skipped(metadata.contentLength)
        }
        if metadata.contentLength > singleRequestLimit {
            let tags =
                (metadata.tagCount ?? 0) > 0
                ? try await source.client.getObjectTagging(bucket: from.bucket, key: key, expectedBucketOwner: fromOwnerId) : []
            try await multipartCopy(key, metadata: metadata, tags: tags, grants: try await objectGrants?.grants(for: key), context: context)
        } else {
            var options = S3WriteOptions()
            options.storageClass = metadata.storageClass == "STANDARD" ? nil : metadata.storageClass
            options.websiteRedirectLocation = metadata.websiteRedirectLocation
            applyEncryption(from: metadata, to: &options)
            options.grants = try await objectGrants?.grants(for: key)
            let request = S3CopyObjectRequest(
                sourceBucket: from.bucket, sourceKey: key, bucket: to.bucket, key: key, metadataDirective: .copy,
                taggingDirective: .copy, options: options, checksumAlgorithm: "SHA256",
                expectedSourceBucketOwner: fromOwnerId ?? source.accountId, expectedBucketOwner: destination.accountId,
                sourceIfMatch: metadata.eTag)
            _ = try await source.mutate(
                context, "CopyObject", resource: "\(from.bucket)/\(key) → \(to.bucket)/\(key)", requestId: \.requestId
            ) {
                try await $0.copyObject(request)
            }
        }
        return .copied(metadata.contentLength, inspected: true)
    }

    /// Above 5 GB: CreateMultipartUpload with the source's attributes, UploadPartCopy ranges,
    /// CompleteMultipartUpload; an upload that fails is aborted so it does not linger.
    /// `versionId`: the source version to copy (a history copy, `S3VersionCopier`); nil is the current one.
    /// `grants`: that version's own ACL, set by CreateMultipartUpload (S3 takes an upload's ACL there).
    func multipartCopy(
        _ key: String, versionId: String? = nil, metadata: S3ObjectMetadata, tags: [S3Tag], grants: [S3Grant]?, context: StepContext
    ) async throws {
        var options = S3WriteOptions(preserving: metadata)
        options.serverSideEncryption = nil
        options.sseKMSKeyId = nil
        options.bucketKeyEnabled = nil
        options.objectLockMode = nil
        options.objectLockRetainUntil = nil
        options.objectLockLegalHold = nil
        if options.storageClass == "STANDARD" { options.storageClass = nil }
        applyEncryption(from: metadata, to: &options)
        options.tags = tags.isEmpty ? nil : tags
        options.grants = grants
        let resource = "\(to.bucket)/\(key)"
        let uploadId = try await source.mutate(context, "CreateMultipartUpload", resource: resource, requestId: { _ in nil }) {
            try await $0.createMultipartUpload(bucket: to.bucket, key: key, options: options, expectedBucketOwner: destination.accountId)
        }
        do {
            let size = metadata.contentLength
            let partSize = max(tuning.partSize, (size + 9_999) / 10_000, 5 * 1024 * 1024)
            var parts: [S3CompletedPart] = []
            var offset: Int64 = 0
            var number = 1
            while offset < size {
                let upper = min(size, offset + partSize) - 1
                let range = offset...upper
                let part = number
                let result = try await source.mutate(
                    context, "UploadPartCopy", resource: "\(resource) part \(part)", requestId: \.requestId
                ) {
                    try await $0.uploadPartCopy(
                        bucket: to.bucket, key: key, uploadId: uploadId, partNumber: part, sourceBucket: from.bucket, sourceKey: key,
                        sourceVersionId: versionId, range: range, expectedSourceBucketOwner: fromOwnerId ?? source.accountId,
                        sourceIfMatch: metadata.eTag,
                        expectedBucketOwner: destination.accountId)
                }
                parts.append(S3CompletedPart(partNumber: part, eTag: result.eTag, checksums: result.checksums))
                offset = upper + 1
                number += 1
            }
            let completed = parts
            _ = try await source.mutate(context, "CompleteMultipartUpload", resource: resource, requestId: \.requestId) {
                try await $0.completeMultipartUpload(
                    bucket: to.bucket, key: key, uploadId: uploadId, parts: completed, expectedBucketOwner: destination.accountId)
            }
        } catch {
            _ = try? await source.mutate(context, "AbortMultipartUpload", resource: resource, requestId: \.requestId) {
                try await $0.abortMultipartUpload(
                    bucket: to.bucket, key: key, uploadId: uploadId, expectedBucketOwner: destination.accountId)
            }
            throw error
        }
    }

    func applyEncryption(from metadata: S3ObjectMetadata, to options: inout S3WriteOptions) {
        guard metadata.serverSideEncryption?.hasPrefix("aws:kms") == true, let key = metadata.sseKMSKeyId,
            let mapped = kmsKeys[key] ?? kmsKeys.first(where: { key.hasSuffix($0.key) })?.value
        else { return }
        options.serverSideEncryption = "aws:kms"
        options.sseKMSKeyId = mapped
        options.bucketKeyEnabled = metadata.bucketKeyEnabled ? true : nil
    }

    /// Whether the destination already holds this version of the source: same size, same
    /// content (full-object SHA-256 when both have one, else a single-part, non-KMS ETag), same
    /// content headers, user metadata, storage class and number of tags.
    static func sameObject(_ a: S3ObjectMetadata, _ b: S3ObjectMetadata) -> Bool {
        guard a.contentLength == b.contentLength else { return false }
        if let left = fullObjectSHA256(a), let right = fullObjectSHA256(b) {
            guard left == right else { return false }
        } else {
            guard let left = plainETag(a), let right = plainETag(b), left == right else { return false }
        }
        return a.userMetadata == b.userMetadata && a.contentType == b.contentType && a.cacheControl == b.cacheControl
            && a.contentDisposition == b.contentDisposition && a.contentEncoding == b.contentEncoding
            && a.contentLanguage == b.contentLanguage && a.expires == b.expires && a.storageClass == b.storageClass
            && (a.tagCount ?? 0) == (b.tagCount ?? 0)
    }

    /// The stored SHA-256 when it covers the whole object (not a checksum of part checksums).
    static func fullObjectSHA256(_ metadata: S3ObjectMetadata) -> String? {
        guard let value = metadata.checksums["SHA256"], metadata.checksumType != "COMPOSITE", !value.contains("-") else {
            return nil
        }
        return value
    }

    /// The ETag when it is the MD5 of the content (single-part, not SSE-KMS or SSE-C).
    static func plainETag(_ metadata: S3ObjectMetadata) -> String? {
        guard let tag = metadata.eTag?.replacingOccurrences(of: "\"", with: ""), !tag.contains("-"),
            metadata.serverSideEncryption?.hasPrefix("aws:kms") != true
        else { return nil }
        return tag
    }

    // MARK: Mirror and failures

    private func deleteExtra(_ keys: [String], context: StepContext) async throws -> Int {
        var deleted = 0
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(start + S3Client.maxKeysPerDelete, keys.count)].map { S3ObjectIdentifier(key: $0) }
            start += batch.count
            let result = try await destination.mutate(context, "DeleteObjects", resource: to.bucket, requestId: \.requestId) {
                try await $0.deleteObjects(bucket: to.bucket, objects: batch, quiet: true)
            }
            if let first = result.errors.first {
                throw StepError(
                    code: first.code,
                    message: "\(result.errors.count) stale objects of \(to) could not be deleted, e.g. \(first.key): \(first.message)",
                    retryable: false, account: destination.label, resource: to.bucket, requestId: result.requestId)
            }
            deleted += batch.count
        }
        return deleted
    }

    private func failure(_ failures: [(String, StepError)], of summary: Summary) -> StepError {
        let retryable = failures.allSatisfy { $0.1.retryable }
        let sample = failures.prefix(10).map { "\($0.0) (\($0.1.code))" }.joined(separator: ", ")
        let first = failures[0].1
        return StepError(
            code: retryable ? StepErrorCode.transient : first.code,
            message: "\(failures.count) of \(summary.objects) objects from \(from) could not be copied to \(to): \(sample)"
                + (failures.count > 10 ? ", …" : "") + "; first error: \(first.message)"
                + (retryable ? ". A retry copies only what is still missing." : ""),
            retryable: retryable, account: first.account ?? source.label, resource: from.bucket, requestId: first.requestId)
    }
}
