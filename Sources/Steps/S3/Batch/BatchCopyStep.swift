import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.batch-copy`: copies a bucket with S3 Batch Operations, AWS's own engine for copies of
/// billions of objects (issue 19 item 3; AWS-NOTES-2 §C), then hands what the job could not
/// copy to the per-object copy step.
///
/// Each attempt is one pass of a poll (the engine calls `run` again after `.notYet`), so every
/// observation is journaled and a restarted daemon follows the same job:
/// 1. find the job by its identity (`S3BatchJobIdentity`: token in the description, via ListJobs);
///    after an operator retry of a job that ended Failed or Cancelled, that job is not followed
///    again: the new retry budget makes a new job;
/// 2. if there is none: list the source, write the CSV manifest into staging, CreateJob with
///    `ConfirmationRequired: true` (journaled with the job ID before anything confirms it);
/// 3. a `Suspended` job is confirmed (UpdateJobStatus Ready);
/// 4. until the job ends: DescribeJob, progress and ETA for `status`, `.notYet`;
/// 5. `Complete`: read the completion report; when tasks failed, run the per-object copy step
///    (`CopyObjectsStep`) over the same buckets, which copies exactly what is missing or differs.
///
/// With `engine: auto` the step counts the source first and copies per-object below `threshold`.
/// Undo cancels a job that is still running (copies already made stay, as with `s3.copy`).
struct BatchCopyStep: TypedStep {
    let sessions: any AccountSessions
    let tuning: S3CopyTuning
    /// The shortest wait between two DescribeJob calls.
    var minimumPoll: Duration = .seconds(5)

    func run(_ inputs: BatchCopyInputs, _ context: StepContext) async throws -> TypedStepResult<BatchCopyOutputs> {
        let identity = S3BatchJobIdentity(context)
        let control = try await AWSCallBoundary.read(account: sessions.accountId(inputs.to.account) ?? inputs.to.account, resource: nil) {
            try await sessions.s3Control(inputs.to.account)
        }
        let boundary = AWSCallBoundary(context: context, service: "s3control", region: sessions.region)
        let account = control.accountId

        let found = try await find(identity, control)
        if found == nil {
            let source = try await S3Session.open(sessions, inputs.from.account)
            // A job cannot copy a key's versions in order (issue 17): history goes per object.
            if try await S3VersionCopy.historyRefusesBatch(
                inputs.copy.versions, sessions: sessions, source: source, bucket: inputs.from.bucket, auto: inputs.engine == .auto)
            {
                await context.progress(
                    "\(inputs.from.bucket) keeps versions and the step copies them: copying per object, oldest to newest")
                return try await perObject(inputs, context)
            }
            let objects = try await source.read(inputs.from.bucket) { try await $0.listAllObjects(bucket: inputs.from.bucket) }
            if inputs.engine == .auto && objects.count < inputs.objectThreshold {
                await context.progress(
                    "\(objects.count) objects, below the Batch Operations threshold of \(inputs.objectThreshold): copying per object")
                return try await perObject(inputs, context)
            }
            var share = S3BatchStorageClassShare(objects)
            // Objects with ACL grants beyond the owner are left to the per-object pass after the
            // job, which sets them in the CopyObject (see `grantedKeys`).
            let granted = try await grantedKeys(context, source: source, inputs: inputs, keys: share.keys)
            share.keys.removeAll { granted.contains($0) }
            if !granted.isEmpty {
                await context.progress(
                    "\(granted.count) objects carry ACL grants beyond the owner: they are copied per object after the job, with their grants"
                )
            }
            if share.keys.isEmpty {
                // Nothing a job could copy (an empty source, or only archived objects): a job
                // with an empty manifest would end without a report.
                await context.progress("\(objects.count) objects, none a copy job can take: copying per object")
                return try await perObject(inputs, context)
            }
            let jobId = try await create(
                identity, inputs: inputs, keys: share.keys, storageClass: share.jobStorageClass, control: control, boundary: boundary,
                context: context)
            // The engine journals this poll with the job ID before the next pass confirms the
            // job: a crash from here on resumes following this job, never creating another.
            return .notYet(
                progress:
                    "job \(jobId) created for \(share.keys.count) of \(objects.count) objects (\(share.storageClass); the rest per object afterwards) (manifest s3://\(inputs.staging.bucket)/\(identity.manifestKey)); confirming it next",
                after: minimumPoll)
        }
        guard var job = found?.job, let owner = found?.identity else {
            throw StepError(code: StepErrorCode.transient, message: "the job vanished", retryable: true)
        }

        if job.status == .suspended {
            let id = job.id
            let confirmed = try await boundary.mutate("UpdateJobStatus", account: account, resource: "job/\(id)") {
                let answer = try await control.updateJobStatus(id, to: .ready, reason: "confirmed by cutover run \(identity.runId)")
                return (answer.status, answer.requestId)
            }
            await context.progress("job \(id) confirmed (\(confirmed))")
            job = try await AWSCallBoundary.read(account: account, resource: "job/\(id)") { try await control.describeJob(id) }
        }

        switch job.status {
        case .complete:
            return try await finish(job, identity: owner, inputs: inputs, context: context)
        case .failed:
            let reasons = job.failureReasons.map { "\($0.code): \($0.reason)" }.joined(separator: "; ")
            throw StepError(
                code: S3BatchErrorCode.jobFailed,
                message: "S3 Batch Operations job \(job.id) failed (\(job.tasksFailed) of \(job.totalTasks ?? 0) tasks failed): "
                    + (reasons.isEmpty ? "no reason given" : reasons)
                    + "; check the role \(inputs.role) (it needs s3:GetObject on the source and the manifest, s3:PutObject on the destination and staging) and retry, or copy per object",
                retryable: false, account: account, resource: "job/\(job.id)")
        case .cancelled:
            throw StepError(
                code: S3BatchErrorCode.jobCancelled,
                message:
                    "S3 Batch Operations job \(job.id) was cancelled (\(job.statusUpdateReason ?? "no reason given")) after \(job.tasksDone) tasks",
                retryable: false, account: account, resource: "job/\(job.id)")
        default:
            let text = S3BatchProgress.text(job)
            await context.progress(text)
            return .notYet(progress: text, after: S3BatchProgress.nextPoll(job, minimum: minimumPoll))
        }
    }

    /// The job this step created in an earlier attempt, if any: the newest of its jobs (of any
    /// retry budget), with the identity it was made under. With `replacingEnded`, a job of an
    /// earlier budget that ended Failed or Cancelled is not returned: this budget is an operator's
    /// retry, which gets a new job (a crash-resume stays in its budget and follows its job).
    private func find(
        _ identity: S3BatchJobIdentity, _ control: S3ControlClient, replacingEnded: Bool = true
    ) async throws -> (job: S3BatchJob, identity: S3BatchJobIdentity)? {
        let jobs = try await AWSCallBoundary.read(account: control.accountId, resource: "jobs") { try await control.listAllJobs() }
        let owned = jobs.compactMap { job in identity.sibling(job.description).map { (job, $0) } }
        guard let (listed, owner) = owned.max(by: { $0.1.budget < $1.1.budget }) else { return nil }
        let job: S3BatchJob
        do {
            job = try await control.describeJob(listed.id)
        } catch let error as AWSError where error.code == .batchJobNotFound {
            // DescribeJob right after CreateJob may not know the job yet (AWS-NOTES-2 BO-2): the
            // listing does, so it is followed as it stands there and described next time.
            job = listed
        } catch {
            throw AWSCallBoundary.stepError(error, account: control.accountId, resource: "job/\(listed.id)")
        }
        if replacingEnded, owner.budget < identity.budget, job.status == .failed || job.status == .cancelled { return nil }
        return (job, owner)
    }

    /// The keys whose copies must carry ACL grants beyond the owner (`objectACLs`: the move's
    /// capture, or `copy` for a direct copy).
    ///
    /// A job's S3PutObjectCopy operation takes one canned ACL / one grant list for every object
    /// of the job, so it cannot give each object its own grants. Two ways out: PutObjectAcl on
    /// each granted object after the job, or leaving those objects out of the manifest for the
    /// per-object pass that already follows the job (for the objects the job could not take).
    /// The second is chosen: it costs the same one request per granted object (the grants go in
    /// its CopyObject, no extra PutObjectAcl), a copy never exists without its grants (no window
    /// in which a public object is private, nothing to redo if a crash falls between job and
    /// PutObjectAcl), and the per-object pass is the code that already carries grants and is
    /// resumable. The job keeps the bulk of a bucket, whose objects typically carry none.
    private func grantedKeys(
        _ context: StepContext, source: S3Session, inputs: BatchCopyInputs, keys: [String]
    ) async throws -> Set<String> {
        let issuer = inputs.copy.copyAs ?? inputs.from.account
        let reader = issuer == inputs.from.account ? source : try await S3Session.open(sessions, issuer)
        let destination = try await S3Session.open(sessions, inputs.to.account)
        guard
            let grants = try await S3ObjectGrants.forStep(
                context, inputs: inputs.copy, source: reader, destination: destination, from: inputs.from,
                fromOwnerId: issuer == inputs.from.account ? nil : sessions.accountId(inputs.from.account))
        else { return [] }
        return try await grants.keysCarryingGrants(keys, concurrency: S3CopyTuning.defaultConcurrency)
    }

    /// Writes the manifest into staging and creates the job (journaled with its ID).
    private func create(
        _ identity: S3BatchJobIdentity, inputs: BatchCopyInputs, keys: [String], storageClass: String?, control: S3ControlClient,
        boundary: AWSCallBoundary, context: StepContext
    ) async throws -> String {
        let staging = try await S3Session.open(sessions, inputs.staging.account)
        let manifest = S3BatchManifest.csv(bucket: inputs.from.bucket, keys: keys)
        let written = try await staging.mutate(
            context, "PutObject", resource: "\(inputs.staging.bucket)/\(identity.manifestKey)", requestId: \.requestId
        ) {
            try await $0.putObject(bucket: inputs.staging.bucket, key: identity.manifestKey, body: manifest)
        }
        guard let eTag = written.eTag else {
            throw StepError(
                code: S3BatchErrorCode.manifestUnwritten, message: "S3 answered the manifest upload without an ETag; CreateJob needs it",
                retryable: true, account: staging.label, resource: "\(inputs.staging.bucket)/\(identity.manifestKey)")
        }
        let request = S3BatchCopyJobRequest(
            clientRequestToken: identity.token, description: identity.description, confirmationRequired: true, priority: inputs.jobPriority,
            roleArn: inputs.role, targetBucketArn: "arn:aws:s3:::\(inputs.to.bucket)", metadataDirective: "COPY",
            storageClass: storageClass, manifestArn: "arn:aws:s3:::\(inputs.staging.bucket)/\(identity.manifestKey)", manifestETag: eTag,
            reportBucketArn: "arn:aws:s3:::\(inputs.staging.bucket)", reportPrefix: identity.reportPrefix, reportScope: "AllTasks")
        let answer = try await boundary.mutate("CreateJob", account: control.accountId, resource: "job-token/\(identity.token)") {
            let answer = try await control.createJob(request)
            return (answer.jobId, answer.requestId)
        }
        return answer
    }

    /// Reads the completion report and copies what the job did not.
    private func finish(
        _ job: S3BatchJob, identity: S3BatchJobIdentity, inputs: BatchCopyInputs, context: StepContext
    ) async throws -> TypedStepResult<BatchCopyOutputs> {
        let staging = try await S3Session.open(sessions, inputs.staging.account)
        let report = try await S3BatchReportReader(session: staging, bucket: inputs.staging.bucket).read(
            jobId: job.id, prefix: identity.reportPrefix)
        var outputs = S3BatchJobOutputs(
            jobId: job.id, tasks: job.totalTasks ?? 0, tasksSucceeded: job.tasksSucceeded, tasksFailed: job.tasksFailed,
            activeSeconds: job.elapsedActiveSeconds)
        let failures = report.filter { !$0.succeeded }
        let source = try await S3Session.open(sessions, inputs.from.account)
        let sourceCount = try await source.read(inputs.from.bucket) { try await $0.listAllObjects(bucket: inputs.from.bucket) }.count
        let leftOut = max(0, sourceCount - (job.totalTasks ?? 0))
        outputs.leftToPerObject = leftOut
        // Objects of other storage classes than the job's, objects written since the manifest,
        // and `mirror` (a move's copy) also removes what the destination holds beyond the source,
        // which a copy job never does: the per-object pass runs then too.
        if job.tasksFailed > 0 || failures.count > 0 || leftOut > 0 || inputs.mirror {
            let sample = failures.prefix(3).map { "\($0.key): \($0.errorCode ?? "?") (HTTP \($0.httpStatus.map(String.init) ?? "?"))" }
            await context.progress(
                "job \(job.id) complete; \(failures.count) failed tasks (\(sample.joined(separator: ", "))), \(leftOut) objects not in the job; copying them per object"
            )
            let result = try await CopyObjectsStep(sessions: sessions, tuning: tuning).run(inputs.copy, context)
            if case .done(let copied) = result { outputs.perObject = copied }
        }
        outputs.reportFailedTasks = failures.count
        await context.progress(
            "job \(job.id) complete: \(job.tasksSucceeded) copied by Batch Operations, \(failures.count) failed and re-copied per object")
        return .done(.job(outputs))
    }

    /// The per-object copy of the same buckets, its outputs the step's.
    private func perObject(_ inputs: BatchCopyInputs, _ context: StepContext) async throws -> TypedStepResult<BatchCopyOutputs> {
        switch try await CopyObjectsStep(sessions: sessions, tuning: tuning).run(inputs.copy, context) {
        case .done(let outputs): return .done(.perObject(outputs))
        case .notYet(let progress, let after): return .notYet(progress: progress, after: after)
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        // Run re-attaches to the job by its identity; nothing is lost by running again.
        .notDone
    }

    /// Cancels the job while it still runs; copies already made stay (see `CopyObjectsStep`).
    /// A rollback calls it while the step is still polling its job too (the engine undoes a
    /// reversible step between polls), so a rollback stops the job as `cancel` would.
    func undo(_ context: StepContext) async throws {
        let inputs = try decodeInputs(context)
        let identity = S3BatchJobIdentity(context)
        let control = try await AWSCallBoundary.read(account: sessions.accountId(inputs.to.account) ?? inputs.to.account, resource: nil) {
            try await sessions.s3Control(inputs.to.account)
        }
        guard let job = try await find(identity, control, replacingEnded: false)?.job else {
            await context.progress("no Batch Operations job was created; nothing to cancel")
            return
        }
        guard job.status.isCancellable else {
            await context.progress(
                "job \(job.id) is \(job.status); copies are removed with the destination bucket when this run created it")
            return
        }
        let boundary = AWSCallBoundary(context: context, service: "s3control", region: sessions.region)
        do {
            let status = try await boundary.journaled(
                "UpdateJobStatus", account: control.accountId, resource: "job/\(job.id)", requestId: \.requestId
            ) {
                try await control.updateJobStatus(job.id, to: .cancelled, reason: "rolled back by cutover run \(identity.runId)")
            }
            await context.progress("job \(job.id) \(status.status)")
        } catch let error as AWSError where error.code == .batchJobStatus {
            // It ended between DescribeJob and the cancel: nothing left to stop.
            await context.progress("job \(job.id) ended before it could be cancelled")
        } catch {
            throw AWSCallBoundary.stepError(error, account: control.accountId, resource: "job/\(job.id)")
        }
    }

    func describe(_ step: PlannedStep) -> String { step.title }
}

/// Codes the batch copy gives its own failures.
enum S3BatchErrorCode {
    /// The job ended `Failed` (manifest unreadable, role refused, more than half the tasks failed).
    static let jobFailed = "BatchJobFailed"
    /// Someone cancelled the job outside this run.
    static let jobCancelled = "BatchJobCancelled"
    /// The manifest could not be written as CreateJob needs it.
    static let manifestUnwritten = "BatchManifestUnwritten"
    /// The completion report is missing or unreadable.
    static let reportUnreadable = "BatchReportUnreadable"
}
