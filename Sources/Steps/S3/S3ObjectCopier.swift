import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// The copy engine: a server-side copy of every object from one bucket to another, `concurrency`
/// requests in flight.
///
/// - CopyObject up to 5 GB, UploadPartCopy above; content headers and user metadata copied by S3
///   (`MetadataDirective=COPY`); tags read from the source and written explicitly (a
///   cross-account copy must not depend on S3 carrying them); storage class and website redirect
///   set explicitly (S3 never carries them); SSE-KMS re-encrypted with the mapped target key; the
///   new object gets a full-object SHA-256 (`x-amz-checksum-algorithm`) for verification.
/// - Resumable and incremental: an object already at the destination with the same size,
///   checksum (or single-part ETag), metadata and tag count is skipped, so a second pass copies
///   only the delta and a retry after a crash continues where the last stopped.
/// - Throttling and 5xx answers that outlast the client's retries are retried per object with
///   backoff; what still fails is reported (retryable) so the engine's policy takes over.
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
    let concurrency: Int
    let mirror: Bool
    let kmsKeys: [String: String]
    let tuning: S3CopyTuning
    /// The account owning `from` when `source` (the session issuing the copies) is not it: the
    /// copy back of a rollback reads the staging bucket of the target account as the source
    /// account, through the read grant `ensure-bucket` gave it.
    var fromOwnerId: String? = nil

    struct Summary: Sendable, Equatable {
        var objects = 0
        var copied = 0
        var skipped = 0
        var vanished = 0
        var deleted = 0
        var bytesCopied: Int64 = 0

        var outputs: [String: String] {
            [
                "objects": String(objects), "copied": String(copied), "skipped": String(skipped),
                "vanished": String(vanished), "deleted": String(deleted), "bytesCopied": String(bytesCopied),
            ]
        }
    }

    private enum Outcome: Sendable {
        case copied(Int64)
        case skipped(Int64)
        case vanished
        case failed(key: String, StepError)
    }

    func run(_ context: StepContext) async throws -> Summary {
        let sourceObjects = try await source.read(from.bucket) {
            try await $0.listAllObjects(bucket: from.bucket, expectedBucketOwner: fromOwnerId)
        }
        let existing = try await destination.read(to.bucket) { try await $0.listAllObjects(bucket: to.bucket) }
        var atDestination: [String: S3ObjectSummary] = [:]
        for object in existing { atDestination[object.key] = object }

        var summary = Summary(objects: sourceObjects.count)
        var failures: [(String, StepError)] = []
        var progress = S3CopyProgress(objects: sourceObjects.count, bytes: sourceObjects.reduce(0) { $0 + $1.size })
        let began = ContinuousClock.now
        var reported = began
        await context.progress("copying \(sourceObjects.count) objects from \(from) to \(to)")
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            var next = 0
            func launch() {
                let object = sourceObjects[next]
                let present = atDestination[object.key]
                next += 1
                group.addTask { await self.process(object, present: present, context: context) }
            }
            while next < sourceObjects.count && next < max(1, concurrency) { launch() }
            var sizes: [String: Int64] = [:]
            for object in sourceObjects { sizes[object.key] = object.size }
            while let outcome = try await group.next() {
                switch outcome {
                case .copied(let bytes):
                    summary.copied += 1
                    summary.bytesCopied += bytes
                    progress.record(size: bytes, copied: true)
                case .skipped(let size):
                    summary.skipped += 1
                    progress.record(size: size, copied: false)
                case .vanished: summary.vanished += 1
                case .failed(let key, let error): failures.append((key, error))
                }
                // At most twice a second: progress is for people, not the journal.
                let now = ContinuousClock.now
                if now - reported >= .milliseconds(500) {
                    reported = now
                    let elapsed = now - began
                    await context.progress(progress.text(elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
                }
                if next < sourceObjects.count { launch() }
            }
        }
        try Task.checkCancellation()
        if !failures.isEmpty { throw failure(failures, of: summary) }
        if mirror {
            let keep = Set(sourceObjects.map(\.key))
            let extra = existing.map(\.key).filter { !keep.contains($0) }
            summary.deleted = try await deleteExtra(extra, context: context)
        }
        return summary
    }

    // MARK: One object

    private func process(_ object: S3ObjectSummary, present: S3ObjectSummary?, context: StepContext) async -> Outcome {
        do {
            // The source changed between our HeadObject and the copy (PreconditionFailed): read it again.
            return try await tuning.retrying(
                account: source.label, resource: "\(from.bucket)/\(object.key)",
                alsoRetry: { AWSCallBoundary.awsCode($0).map { $0 == .preconditionFailed } ?? false }
            ) { try await copy(object, present: present, context: context) }
        } catch let error as StepError {
            return .failed(key: object.key, error)
        } catch {
            return .failed(key: object.key, StepError(code: "Cancelled", message: "stopped", retryable: true))
        }
    }

    private func copy(_ object: S3ObjectSummary, present: S3ObjectSummary?, context: StepContext) async throws -> Outcome {
        let key = object.key
        guard let metadata = try await source.client.headObject(bucket: from.bucket, key: key, expectedBucketOwner: fromOwnerId)
        else { return .vanished }
        if let present, present.size == metadata.contentLength,
            let there = try await destination.client.headObject(bucket: to.bucket, key: key),
            Self.sameObject(metadata, there)
        {
            return .skipped(metadata.contentLength)
        }
        let tags = (metadata.tagCount ?? 0) > 0
            ? try await source.client.getObjectTagging(bucket: from.bucket, key: key, expectedBucketOwner: fromOwnerId) : []
        if metadata.contentLength > min(tuning.multipartThreshold, 5 * 1024 * 1024 * 1024) {
            try await multipartCopy(key, metadata: metadata, tags: tags, context: context)
        } else {
            var options = S3WriteOptions()
            options.storageClass = metadata.storageClass == "STANDARD" ? nil : metadata.storageClass
            options.websiteRedirectLocation = metadata.websiteRedirectLocation
            applyEncryption(from: metadata, to: &options)
            options.tags = tags
            let request = S3CopyObjectRequest(
                sourceBucket: from.bucket, sourceKey: key, bucket: to.bucket, key: key, metadataDirective: .copy,
                taggingDirective: tags.isEmpty ? .copy : .replace, options: options, checksumAlgorithm: "SHA256",
                expectedSourceBucketOwner: fromOwnerId ?? source.accountId, expectedBucketOwner: destination.accountId,
                sourceIfMatch: metadata.eTag)
            _ = try await source.mutate(context, "CopyObject", resource: "\(from.bucket)/\(key) → \(to.bucket)/\(key)", requestId: \.requestId) {
                try await $0.copyObject(request)
            }
        }
        return .copied(metadata.contentLength)
    }

    /// Above 5 GB: CreateMultipartUpload with the source's attributes, UploadPartCopy ranges,
    /// CompleteMultipartUpload; an upload that fails is aborted so it does not linger.
    private func multipartCopy(_ key: String, metadata: S3ObjectMetadata, tags: [S3Tag], context: StepContext) async throws {
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
                let result = try await source.mutate(context, "UploadPartCopy", resource: "\(resource) part \(part)", requestId: \.requestId) {
                    try await $0.uploadPartCopy(
                        bucket: to.bucket, key: key, uploadId: uploadId, partNumber: part, sourceBucket: from.bucket, sourceKey: key,
                        range: range, expectedSourceBucketOwner: fromOwnerId ?? source.accountId, sourceIfMatch: metadata.eTag,
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
                try await $0.abortMultipartUpload(bucket: to.bucket, key: key, uploadId: uploadId, expectedBucketOwner: destination.accountId)
            }
            throw error
        }
    }

    private func applyEncryption(from metadata: S3ObjectMetadata, to options: inout S3WriteOptions) {
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
                    code: first.code, message: "\(result.errors.count) stale objects of \(to) could not be deleted, e.g. \(first.key): \(first.message)",
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
