import CCrypto
import Engine
import Foundation

/// The name a run's Batch Operations job goes by, the same in every attempt of one retry budget
/// and after every crash: the CreateJob client request token and the job description both carry
/// `cutover-<hash of run and step>`, followed by `-r<N>` when an operator retry (a new budget,
/// starting at attempt N) made the job. DescribeJob and ListJobs do not return the token, so the
/// description is how a resumed step finds the job it created (no second CreateJob).
///
/// Why the budget is part of it: a job that ended `Failed` stops the step; a `retry` must try a
/// new job (with the role or manifest fixed), not find the failed one again — while a crash in
/// the same budget must find the running job, never create a second. The step follows the
/// newest job of any budget (`S3BatchJobIdentity.newest`) and creates one for its own budget only
/// when that job is from an earlier budget and ended Failed or Cancelled.
struct S3BatchJobIdentity: Sendable, Equatable {
    let token: String
    let runId: String
    let stepId: String
    /// The first attempt of the retry budget that makes the job (1: the step's first budget).
    let budget: Int

    init(runId: String, stepId: String, budget: Int = 1) {
        self.runId = runId
        self.stepId = stepId
        self.budget = budget
        let base = Self.base(runId: runId, stepId: stepId)
        token = budget <= 1 ? base : "\(base)-r\(budget)"
    }

    init(_ context: StepContext) { self.init(runId: context.runId, stepId: context.step.id, budget: context.budgetFirstAttempt) }

    /// `cutover-` and 32 hex digits of SHA-256("run/step"): what every budget's token starts with.
    static func base(runId: String, stepId: String) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let bytes = Array("\(runId)/\(stepId)".utf8)
        _ = digest.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { cutover_sha256($0.baseAddress, $0.count, out.baseAddress) }
        }
        return "cutover-" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// ≤ 256 characters (BC-S3C `Description`), token first so a truncation never loses it.
    var description: String { String("\(token) run \(runId) step \(stepId)".prefix(256)) }

    /// Whether `description` (from ListJobs) names this budget's job.
    func owns(_ description: String?) -> Bool { description?.hasPrefix(token + " ") == true || description == token }

    /// The identity of the job `description` names, if it is one of this step's (any budget).
    func sibling(_ description: String?) -> S3BatchJobIdentity? {
        let base = Self.base(runId: runId, stepId: stepId)
        guard let description, description.hasPrefix(base) else { return nil }
        let token = description.split(separator: " ", maxSplits: 1).first.map(String.init) ?? description
        if token == base { return S3BatchJobIdentity(runId: runId, stepId: stepId, budget: 1) }
        guard token.hasPrefix(base + "-r"), let budget = Int(token.dropFirst(base.count + 2)) else { return nil }
        return S3BatchJobIdentity(runId: runId, stepId: stepId, budget: budget)
    }

    /// Where the manifest and the completion report go in the staging bucket.
    var manifestKey: String { "cutover-batch/\(token)/manifest.csv" }
    var reportPrefix: String { "cutover-batch/\(token)/report" }
}
