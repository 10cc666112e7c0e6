import CCrypto
import Engine
import Foundation

/// The name a run's Batch Operations job goes by, the same in every attempt and after every
/// crash: the CreateJob client request token and the job description both carry
/// `cutover-<hash of run and step>`. DescribeJob and ListJobs do not return the token, so the
/// description is how a resumed step finds the job it created (no second CreateJob).
struct S3BatchJobIdentity: Sendable, Equatable {
    let token: String
    let runId: String
    let stepId: String

    init(runId: String, stepId: String) {
        self.runId = runId
        self.stepId = stepId
        var digest = [UInt8](repeating: 0, count: 32)
        let bytes = Array("\(runId)/\(stepId)".utf8)
        _ = digest.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { cutover_sha256($0.baseAddress, $0.count, out.baseAddress) }
        }
        token = "cutover-" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    init(_ context: StepContext) { self.init(runId: context.runId, stepId: context.step.id) }

    /// ≤ 256 characters (BC-S3C `Description`), token first so a truncation never loses it.
    var description: String { String("\(token) run \(runId) step \(stepId)".prefix(256)) }

    /// Whether `description` (from ListJobs) names this step's job.
    func owns(_ description: String?) -> Bool { description?.hasPrefix(token + " ") == true || description == token }

    /// Where the manifest and the completion report go in the staging bucket.
    var manifestKey: String { "cutover-batch/\(token)/manifest.csv" }
    var reportPrefix: String { "cutover-batch/\(token)/report" }
}
