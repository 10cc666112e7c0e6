import AWSClient
import AWSServices
import Engine
import Foundation

/// Empties a bucket completely, as DeleteBucket requires (AWS-NOTES §2): every object version and
/// delete marker (DeleteObjects, 1,000 keys a request) and every unfinished multipart upload,
/// repeated until a fresh listing shows nothing. Safe to run again after a crash: what is gone
/// stays gone and the rest is deleted.
struct S3BucketEmptier {
    let session: S3Session
    let bucket: String
    /// Full passes before giving up (objects still arriving means the service is not stopped).
    var maxPasses = 5
    /// DeleteObjects answers lost (reset, timeout) that one attempt reconciles by listing again;
    /// past that the failure is the step's (retried by its policy).
    static let maxAmbiguousAnswers = 5

    struct Summary: Sendable, Equatable {
        var versionsDeleted = 0
        var uploadsAborted = 0
        var requests = 0
    }

    func empty(_ context: StepContext) async throws -> Summary {
        var summary = Summary()
        for pass in 1...maxPasses {
            let before = summary
            try await deleteVersions(context, into: &summary)
            try await abortUploads(context, into: &summary)
            if summary.versionsDeleted == before.versionsDeleted && summary.uploadsAborted == before.uploadsAborted {
                return summary
            }
            await context.progress("emptying \(bucket): pass \(pass), \(summary.versionsDeleted) versions deleted")
        }
        if try await isEmpty() { return summary }
        throw StepError(
            code: "BucketKeepsFilling",
            message: "\(bucket) still has objects after \(maxPasses) passes: something is still writing to it; stop the "
                + "service that writes there, then retry",
            retryable: false, account: session.label, resource: bucket)
    }

    /// True when no version, delete marker or unfinished upload is left.
    func isEmpty() async throws -> Bool {
        let versions = try await session.read(bucket) { try await $0.listObjectVersions(bucket: bucket, maxKeys: 1) }
        guard versions.versions.isEmpty, versions.deleteMarkers.isEmpty else { return false }
        let uploads = try await session.read(bucket) { try await $0.listMultipartUploads(bucket: bucket, maxUploads: 1) }
        return uploads.uploads.isEmpty
    }

    private func deleteVersions(_ context: StepContext, into summary: inout Summary) async throws {
        var failures: [S3DeleteResult.Failure] = []
        var marker: S3VersionMarker?
        var ambiguousAnswers = 0
        var restart = false
        while true {
            let current = marker
            let page = try await session.read(bucket) {
                try await $0.listObjectVersions(bucket: bucket, keyMarker: current?.key, versionIdMarker: current?.versionId)
            }
            let identifiers = page.identifiers
            var pageFailures: [S3DeleteResult.Failure] = []
            var start = 0
            while start < identifiers.count {
                let batch = Array(identifiers[start..<min(start + S3Client.maxKeysPerDelete, identifiers.count)])
                start += batch.count
                let result: S3DeleteResult
                do {
                    result = try await session.mutate(context, "DeleteObjects", resource: bucket, requestId: \.requestId) {
                        try await $0.deleteObjects(bucket: bucket, objects: batch, quiet: true)
                    }
                } catch let error as AWSError where error.origin == .transport && ambiguousAnswers < Self.maxAmbiguousAnswers {
                    // The batch may have been deleted with its answer lost; the client does not
                    // resend an irreversible call. List again from the start: what is gone is not
                    // deleted twice, what is left is deleted now.
                    ambiguousAnswers += 1
                    summary.requests += 1
                    restart = true
                    break
                }
                summary.requests += 1
                summary.versionsDeleted += batch.count - result.errors.count
                pageFailures += result.errors
            }
            failures += pageFailures
            if restart {
                restart = false
                marker = nil
                continue
            }
            guard let nextKey = page.nextKeyMarker else { break }
            // What was deleted is gone from later listings, and S3 refuses a version-ID marker
            // whose version no longer exists: after a clean page, list from the start again; only
            // step past the page when some of it could not be deleted (it is still there).
            marker = pageFailures.isEmpty ? nil : S3VersionMarker(key: nextKey, versionId: page.nextVersionIdMarker)
        }
        guard failures.isEmpty else {
            let locked = failures.contains { $0.code == .accessDenied || $0.code.contains("Lock") }
            let sample = failures.prefix(10).map { "\($0.key)\($0.versionId.map { "@\($0)" } ?? "") (\($0.code))" }
            throw StepError(
                code: locked ? "ObjectLocked" : "DeleteObjectsFailed",
                message: "\(failures.count) versions of \(bucket) could not be deleted: "
                    + sample.joined(separator: ", ") + (failures.count > 10 ? ", …" : "")
                    + (locked ? "; Object Lock retention or a legal hold blocks them" : ""),
                retryable: false, account: session.label, resource: bucket)
        }
    }

    private func abortUploads(_ context: StepContext, into summary: inout Summary) async throws {
        // Every listed upload is aborted (or the step throws), so each page lists from the start:
        // an upload-ID marker naming an aborted upload is not one S3 has to accept.
        var more = false
        repeat {
            let page = try await session.read(bucket) {
                try await $0.listMultipartUploads(bucket: bucket, keyMarker: nil, uploadIdMarker: nil)
            }
            more = page.nextKeyMarker != nil && !page.uploads.isEmpty
            for upload in page.uploads {
                do {
                    _ = try await session.mutate(
                        context, "AbortMultipartUpload", resource: "\(bucket)/\(upload.key)", requestId: \.requestId
                    ) {
                        try await $0.abortMultipartUpload(bucket: bucket, key: upload.key, uploadId: upload.uploadId)
                    }
                } catch let error as AWSError where error.code == .noSuchUpload {
                    continue
                }
                summary.requests += 1
                summary.uploadsAborted += 1
            }
        } while more
    }
}
