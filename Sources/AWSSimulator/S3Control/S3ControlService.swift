import Foundation

/// The simulated S3 Control API, Batch Operations jobs only: CreateJob, DescribeJob,
/// UpdateJobStatus, ListJobs (BC-S3C; AWS-NOTES-2 §C).
///
/// S3 Control signs with the service name `s3` (BO-1), so the simulator cannot tell it from S3
/// by the credential scope: `claims(_:)` recognises it by its `/v20180820/` path and the
/// `x-amz-account-id` header every job operation carries. On AWS the host is
/// `<account>.s3-control.<region>.amazonaws.com`; through a local endpoint the host is
/// whatever the endpoint is and the account is in the header alone, so the header decides.
public struct S3ControlService: SimService {
    public init() {}

    public var signingName: String { "s3" }

    static let namespace = "http://awss3control.amazonaws.com/doc/2018-08-20/"

    /// Whether `request` is an S3 Control call rather than an S3 one.
    public static func claims(_ request: SimRequest) -> Bool {
        request.path.hasPrefix("/v20180820/") && request.header("x-amz-account-id") != nil
    }

    public func operation(of request: SimRequest) -> String? {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let method = request.method.uppercased()
        guard parts.count >= 2, parts[0] == "v20180820", parts[1] == "jobs" else { return nil }
        switch (method, parts.count) {
        case ("POST", 2): return "CreateJob"
        case ("GET", 2): return "ListJobs"
        case ("GET", 3): return "DescribeJob"
        case ("POST", 4) where parts[3] == "status": return "UpdateJobStatus"
        default: return nil
        }
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let account = request.header("x-amz-account-id") ?? ""
        guard IAMState.isAccountId(account) else {
            throw Self.badRequest("x-amz-account-id must be a 12-digit account ID; got '\(account)'.")
        }
        // Identity policies are not modelled (IAMState): a principal acts in its own account only.
        guard account == context.principal.account else {
            throw SimError("AccessDenied", "Access Denied: \(context.principal.arn) cannot act on jobs of account \(account).", status: 403)
        }
        state.settleBatchJobs(account: account, now: context.now)
        let parts = request.path.split(separator: "/").map { SimPercent.decode(String($0)) }
        switch operation {
        case "CreateJob": return try createJob(request, account: account, context: &context, state: &state)
        case "DescribeJob": return try describeJob(parts[2], account: account, context: &context, state: &state)
        case "UpdateJobStatus": return try updateJobStatus(request, id: parts[2], account: account, context: &context, state: &state)
        case "ListJobs": return try listJobs(request, account: account, context: &context, state: &state)
        default: throw SimError("NotImplemented", "S3 Control \(operation) is not simulated.", status: 501)
        }
    }

    /// S3 Control's error document: `<ErrorResponse><Error><Code>…` as rest-xml services send
    /// it (botocore reads both this and S3's bare `<Error>`).
    public func render(_ error: SimError, requestId: String) -> SimResponse {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error><Code>\(S3XMLBuilder.escape(error.code))</Code>"
        xml += "<Message>\(S3XMLBuilder.escape(error.message))</Message></Error><RequestId>\(requestId)</RequestId>"
        xml += "<HostId>\(S3Service.hostId(requestId))</HostId></ErrorResponse>"
        return SimResponse(
            status: error.status, headers: S3Service.standardHeaders(requestId) + [("Content-Type", "application/xml")],
            body: Data(xml.utf8))
    }

    // MARK: - Errors (the model gives them no HTTP status, BO-2; these are the simulator's choice)

    static func badRequest(_ message: String) -> SimError { SimError("BadRequestException", message, status: 400) }
    static func notFound(_ id: String) -> SimError {
        SimError("NotFoundException", "No such job \(id).", status: 404, resource: id)
    }

    // MARK: - Operations

    private func createJob(
        _ request: SimRequest, account: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let input = try S3ControlCreateJobInput(request.body)
        // The role: it must exist in the job's account and trust batchoperations.s3.amazonaws.com (BO-9).
        guard let role = state.iam.roles[input.roleArn], role.account == account else {
            throw Self.badRequest("The role \(input.roleArn) does not exist in account \(account).")
        }
        guard role.trustedPrincipals.contains(S3ControlCreateJobInput.servicePrincipal) || role.trustedPrincipals.contains("*") else {
            throw Self.badRequest(
                "The role \(input.roleArn) cannot be assumed by \(S3ControlCreateJobInput.servicePrincipal); add it to the role's trust policy."
            )
        }
        context.resource = "job-token/\(input.clientRequestToken)"
        let tokenKey = "\(account)/\(input.clientRequestToken)"
        if let existing = state.s3control.tokens[tokenKey], let job = state.s3control.jobs[account]?[existing] {
            guard input.matches(job) else {
                throw SimError(
                    "IdempotencyException",
                    "ClientRequestToken \(input.clientRequestToken) was used for job \(existing) with other parameters.", status: 409)
            }
            context.resource = "job/\(existing)"
            return created(existing, context)
        }
        let id = state.s3control.newJobId()
        let job = S3ControlJob(
            id: id, account: account, region: context.region, clientRequestToken: input.clientRequestToken,
            description: input.description, confirmationRequired: input.confirmationRequired, priority: input.priority,
            roleArn: input.roleArn, operation: input.operation, manifest: input.manifest, report: input.report, status: .new,
            creationTime: context.now)
        state.s3control.jobs[account, default: [:]][id] = job
        state.s3control.tokens[tokenKey] = id
        context.mutated = true
        context.resource = "job/\(id)"
        return created(id, context)
    }

    private func created(_ id: String, _ context: SimCallContext) -> SimResponse {
        var xml = S3ControlXML(root: "CreateJobResult")
        xml.element("JobId", id)
        return respond(xml.finish(), context)
    }

    private func describeJob(
        _ id: String, account: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        context.resource = "job/\(id)"
        guard let job = state.s3control.jobs[account]?[id] else { throw Self.notFound(id) }
        var xml = S3ControlXML(root: "DescribeJobResult")
        xml.start("Job")
        S3ControlRendering.describe(job, now: context.now, into: &xml)
        xml.end()
        return respond(xml.finish(), context)
    }

    /// UpdateJobStatus (BO-6): `Ready` confirms a `Suspended` job; `Cancelled` cancels a job that
    /// has not ended. Anything else is `JobStatusException`.
    private func updateJobStatus(
        _ request: SimRequest, id: String, account: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        context.resource = "job/\(id)"
        guard let requested = request.query("requestedJobStatus"), requested == "Ready" || requested == "Cancelled" else {
            throw Self.badRequest("requestedJobStatus must be Ready or Cancelled.")
        }
        let reason = request.query("statusUpdateReason")
        if let reason, !(1...256).contains(reason.count) { throw Self.badRequest("statusUpdateReason must be 1-256 characters.") }
        guard var job = state.s3control.jobs[account]?[id] else { throw Self.notFound(id) }
        switch (requested, job.status) {
        case ("Ready", .suspended):
            job.status = .ready
            job.readySince = context.now
        case ("Cancelled", .new), ("Cancelled", .preparing), ("Cancelled", .suspended), ("Cancelled", .ready),
            ("Cancelled", .active), ("Cancelled", .paused), ("Cancelled", .pausing):
            if job.status == .active { job.activeUntil = context.now }
            job.status = .cancelling
            job.cancellingSince = context.now
        default:
            throw SimError(
                "JobStatusException",
                "Job \(id) is \(job.status.rawValue); it cannot be moved to \(requested) (Ready confirms a Suspended job; Cancelled ends one that has not ended).",
                status: 400, resource: id)
        }
        job.statusUpdateReason = reason
        state.s3control.jobs[account]![id] = job
        context.mutated = true
        var xml = S3ControlXML(root: "UpdateJobStatusResult")
        xml.element("JobId", id)
        xml.element("Status", job.status.rawValue)
        xml.optional("StatusUpdateReason", reason)
        return respond(xml.finish(), context)
    }

    /// ListJobs: newest first, `jobStatuses` filter (repeatable), `maxResults` (≤ 1000), `nextToken`.
    private func listJobs(
        _ request: SimRequest, account: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let wanted = Set(request.queryItems.filter { $0.name == "jobStatuses" }.map(\.value))
        for status in wanted where S3ControlJob.Status(rawValue: status) == nil {
            throw SimError("InvalidRequestException", "Unknown job status \(status).", status: 400)
        }
        var limit = 1000
        if let raw = request.query("maxResults") {
            guard let value = Int(raw), (0...1000).contains(value) else {
                throw SimError("InvalidRequestException", "maxResults must be between 0 and 1000.", status: 400)
            }
            limit = value == 0 ? 1000 : value
        }
        let all = (state.s3control.jobs[account] ?? [:]).values
            .filter { wanted.isEmpty || wanted.contains($0.status.rawValue) }
            .sorted { ($0.creationTime, $0.id) > ($1.creationTime, $1.id) }
        var start = 0
        if let token = request.query("nextToken") {
            guard let index = Int(token), index >= 0, index <= all.count else {
                throw SimError("InvalidNextTokenException", "The next token is not valid.", status: 400)
            }
            start = index
        }
        let page = all[start..<min(all.count, start + limit)]
        var xml = S3ControlXML(root: "ListJobsResult")
        if start + page.count < all.count { xml.element("NextToken", String(start + page.count)) }
        xml.start("Jobs")
        for job in page {
            xml.start("member")
            S3ControlRendering.listEntry(job, now: context.now, into: &xml)
            xml.end()
        }
        xml.end()
        return respond(xml.finish(), context)
    }

    private func respond(_ document: String, _ context: SimCallContext) -> SimResponse {
        SimResponse(
            status: 200, headers: S3Service.standardHeaders(context.requestId) + [("Content-Type", "application/xml")],
            body: Data(document.utf8))
    }
}
