import AWSClient
import AWSSigV4
import Foundation

/// S3 Batch Operations jobs through S3 Control (BC-S3C; AWS-NOTES-2 §C): CreateJob, DescribeJob,
/// UpdateJobStatus, ListJobs, for one account.
///
/// Every call carries the account in `x-amz-account-id` and, on AWS's own endpoint, in the host
/// (`<account>.s3-control.<region>.amazonaws.com`, BO-1). Through a configured endpoint (moto,
/// the simulator) the host is left alone and the header alone names the account. Failures throw
/// `AWSError` with S3 Control's code (`NotFoundException`, `JobStatusException`,
/// `IdempotencyException`, …); a 2xx answer that is not the promised document is
/// `MalformedResponse`.
public struct S3ControlClient: Sendable {
    public let client: AWSClient
    /// The 12-digit account the jobs belong to.
    public let accountId: String

    static let namespace = "http://awss3control.amazonaws.com/doc/2018-08-20/"

    /// Re-targets `client` at S3 Control when it is a client for another service.
    public init(client: AWSClient, accountId: String) {
        self.client = client.service == .s3Control ? client : client.with(service: .s3Control)
        self.accountId = accountId
    }

    /// CreateJob; returns the job ID. Safe to resend: the same client request token and request
    /// return the same job (`IdempotencyException` when the request differs).
    public func createJob(_ job: S3BatchCopyJobRequest) async throws -> (jobId: String, requestId: String?) {
        var request = base("CreateJob", method: "POST", path: "/v20180820/jobs", resource: "job-token/\(job.clientRequestToken)")
        request.body = job.document
        request.headers.set("Content-Type", "application/xml")
        let response = try await client.send(request)
        let id = try decode(request, response) { try $0.require("JobId") }
        return (id, response.requestId)
    }

    /// DescribeJob.
    public func describeJob(_ id: String) async throws -> S3BatchJob {
        let request = base("DescribeJob", method: "GET", path: "/v20180820/jobs/\(Self.encode(id))", resource: "job/\(id)")
        let response = try await client.send(request)
        var job = try decode(request, response) { root in
            guard let node = root.child("Job") else { throw XMLDecodeError(message: "required element <Job> missing") }
            return try Self.job(node)
        }
        job.requestId = response.requestId
        return job
    }

    /// UpdateJobStatus: `Ready` confirms a `Suspended` job, `Cancelled` cancels one that has not
    /// ended. Returns the status S3 Control reports after the change.
    public func updateJobStatus(
        _ id: String, to requested: S3BatchJobStatus, reason: String? = nil
    ) async throws -> (status: S3BatchJobStatus, requestId: String?) {
        var request = base("UpdateJobStatus", method: "POST", path: "/v20180820/jobs/\(Self.encode(id))/status", resource: "job/\(id)")
        request.query = [("requestedJobStatus", requested.rawValue)]
        if let reason { request.query.append(("statusUpdateReason", String(reason.prefix(256)))) }
        let response = try await client.send(request)
        let status = try decode(request, response) { S3BatchJobStatus(rawValue: try $0.require("Status")) }
        return (status, response.requestId)
    }

    /// One page of ListJobs, newest first, optionally only jobs in `statuses`.
    public func listJobs(statuses: [S3BatchJobStatus] = [], maxResults: Int? = nil, nextToken: String? = nil) async throws -> S3BatchJobPage
    {
        var request = base("ListJobs", method: "GET", path: "/v20180820/jobs", resource: nil)
        request.query = statuses.map { ("jobStatuses", $0.rawValue) }
        if let maxResults { request.query.append(("maxResults", String(maxResults))) }
        if let nextToken { request.query.append(("nextToken", nextToken)) }
        let response = try await client.send(request)
        return try decode(request, response) { root in
            let jobs = try (root.child("Jobs")?.children("member") ?? []).map(Self.job)
            return S3BatchJobPage(jobs: jobs, nextToken: root.string("NextToken").flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// Every job (in `statuses`), following `NextToken`; stops at `limit` pages (a token that
    /// never ends is a malformed answer, not a reason to loop forever).
    public func listAllJobs(statuses: [S3BatchJobStatus] = [], limit: Int = 1000) async throws -> [S3BatchJob] {
        var all: [S3BatchJob] = []
        var token: String?
        for _ in 0..<limit {
            let page = try await listJobs(statuses: statuses, nextToken: token)
            all += page.jobs
            guard let next = page.nextToken, next != token else { return all }
            token = next
        }
        return all
    }

    // MARK: - Plumbing

    private func base(_ operation: String, method: String, path: String, resource: String?) -> AWSRequest {
        var request = AWSRequest(operation: operation, method: method, path: path, resource: resource)
        request.headers.set("x-amz-account-id", accountId)
        request.hostPrefix = "\(accountId)."
        return request
    }

    static func encode(_ segment: String) -> String { SigV4URIEncoding.encode(segment, encodeSlash: true) }

    private func decode<T>(_ request: AWSRequest, _ response: AWSResponse, _ body: (XMLNode) throws -> T) throws -> T {
        do {
            guard !response.body.isEmpty else { throw XMLDecodeError(message: "the body is empty") }
            return try body(try XMLNode.parse(response.body))
        } catch {
            throw client.malformed(request, response, reason: "\(error)")
        }
    }

    static func job(_ node: XMLNode) throws -> S3BatchJob {
        let progress = node.child("ProgressSummary")
        func count(_ name: String) throws -> Int? {
            guard let text = progress?.string(name) else { return nil }
            guard let value = Int(text), value >= 0 else { throw XMLDecodeError(message: "<\(name)> is not a count: \(text)") }
            return value
        }
        func date(_ name: String) -> Date? { node.string(name).flatMap { try? Date($0, strategy: .iso8601) } }
        let elapsed = progress?.child("Timers")?.string("ElapsedTimeInActiveSeconds").flatMap { Int($0) } ?? 0
        let failures = (node.child("FailureReasons")?.children("member") ?? []).map {
            S3BatchJob.FailureReason(code: $0.string("FailureCode") ?? "", reason: $0.string("FailureReason") ?? "")
        }
        return S3BatchJob(
            id: try node.require("JobId"), status: S3BatchJobStatus(rawValue: try node.require("Status")),
            description: node.string("Description"), totalTasks: try count("TotalNumberOfTasks"),
            tasksSucceeded: try count("NumberOfTasksSucceeded") ?? 0, tasksFailed: try count("NumberOfTasksFailed") ?? 0,
            elapsedActiveSeconds: elapsed, failureReasons: failures, creationTime: date("CreationTime"),
            terminationDate: date("TerminationDate"), suspendedCause: node.string("SuspendedCause"),
            statusUpdateReason: node.string("StatusUpdateReason"), reportBucketArn: node.child("Report")?.string("Bucket"),
            reportPrefix: node.child("Report")?.string("Prefix"), requestId: nil)
    }
}
