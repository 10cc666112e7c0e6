import AWSServices
import Engine
import Foundation

/// Reads a job's completion report from the staging bucket: manifest.json, then each results CSV
/// it lists (AWS-NOTES-2 BO-5).
struct S3BatchReportReader {
    let session: S3Session
    let bucket: String

    func read(jobId: String, prefix: String) async throws -> [S3BatchCompletionReport.TaskResult] {
        let manifestKey = S3BatchCompletionReport.manifestKey(jobId: jobId, prefix: prefix)
        let manifest = try await session.read("\(bucket)/\(manifestKey)") { try await $0.getObject(bucket: bucket, key: manifestKey) }
        let files: [S3BatchCompletionReport.ResultFile]
        do {
            files = try S3BatchCompletionReport.resultFiles(manifest.body)
        } catch {
            throw unreadable(manifestKey, error)
        }
        var tasks: [S3BatchCompletionReport.TaskResult] = []
        for file in files {
            let content = try await session.read("\(file.bucket)/\(file.key)") {
                try await $0.getObject(bucket: file.bucket, key: file.key)
            }
            do {
                tasks += try S3BatchCompletionReport.tasks(content.body)
            } catch {
                throw unreadable(file.key, error)
            }
        }
        return tasks
    }

    private func unreadable(_ key: String, _ error: any Error) -> StepError {
        StepError(
            code: S3BatchErrorCode.reportUnreadable,
            message:
                "the completion report s3://\(bucket)/\(key) cannot be read (\(error)); the per-object verification that follows still checks every object",
            retryable: false, account: session.label, resource: "\(bucket)/\(key)")
    }
}
