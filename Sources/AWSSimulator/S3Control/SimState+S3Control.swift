import Foundation

/// The Batch Operations status machine (BO-6), computed lazily from the clock: every S3 Control
/// call first brings the account's jobs up to `now`, running the tasks that were due since the
/// last look, in manifest order, each at the simulated instant the job rate gives it.
///
/// New →(newSeconds) Preparing →(preparing time) Suspended (ConfirmationRequired) or Ready
/// →(readySeconds) Active →(tasks ÷ rate) Completing →(completingSeconds) Complete; Cancelling
/// →(cancellingSeconds) Cancelled; Failed when the manifest cannot be read or more than half of
/// at least `failureThresholdMinimumTasks` tasks failed (BO-8).
extension SimState {
    /// Brings every job that has not ended up to `now` (nothing to do, and cheap, when there are none).
    mutating func settleEveryBatchJob(now: Date) {
        guard !s3control.jobs.isEmpty else { return }
        for (account, jobs) in s3control.jobs {
            for (id, job) in jobs where !job.status.isTerminal { settleBatchJob(account: account, id: id, now: now) }
        }
    }

    /// Brings every job of `account` up to `now`.
    mutating func settleBatchJobs(account: String, now: Date) {
        for id in (s3control.jobs[account] ?? [:]).keys.sorted() { settleBatchJob(account: account, id: id, now: now) }
    }

    mutating func settleBatchJob(account: String, id: String, now: Date) {
        guard var job = s3control.jobs[account]?[id] else { return }
        let timings = s3control.timings
        var moved = true
        while moved && !job.status.isTerminal {
            moved = false
            switch job.status {
            case .new:
                let at = job.creationTime.addingTimeInterval(timings.newSeconds)
                if now >= at {
                    job.status = .preparing
                    job.preparingSince = at
                    readManifest(&job)
                    moved = true
                }
            case .preparing:
                let rows = Double(job.tasks.count) / max(timings.preparingRowsPerSecond, 1)
                let at = job.preparingSince!.addingTimeInterval(timings.preparingSeconds + rows)
                if now >= at {
                    if !job.failureReasons.isEmpty {
                        job.status = .failed
                        job.terminationDate = at
                    } else if job.confirmationRequired {
                        job.status = .suspended
                        job.suspendedDate = at
                        job.suspendedCause = "AwaitingConfirmation"
                    } else {
                        job.status = .ready
                        job.readySince = at
                    }
                    moved = true
                }
            case .ready:
                let at = job.readySince!.addingTimeInterval(timings.readySeconds)
                if now >= at {
                    job.status = .active
                    job.activeSince = at
                    moved = true
                }
            case .active:
                runDueTasks(&job, now: now, timings: timings)
                moved = job.status != .active
            case .completing:
                let at = job.completingSince!.addingTimeInterval(timings.completingSeconds)
                if now >= at {
                    writeReport(&job, at: at)
                    job.status = .complete
                    job.terminationDate = at
                    moved = true
                }
            case .cancelling:
                let at = job.cancellingSince!.addingTimeInterval(timings.cancellingSeconds)
                if now >= at {
                    writeReport(&job, at: at)
                    job.status = .cancelled
                    job.terminationDate = at
                    moved = true
                }
            case .suspended, .pausing, .paused, .failing, .complete, .cancelled, .failed:
                break
            }
        }
        s3control.jobs[account]![id] = job
    }

    /// Runs the tasks the job rate allows by `now`; moves the job on when they are all done or
    /// when the failure threshold is crossed.
    private mutating func runDueTasks(_ job: inout S3ControlJob, now: Date, timings: S3BatchTimings) {
        let rate = max(timings.tasksPerSecond, 0.001)
        let since = job.activeSince!
        let elapsed = now.timeIntervalSince(since)
        let due = min(job.tasks.count, Int((elapsed * rate + 1e-9).rounded(.down)))
        while job.nextTask < due {
            let index = job.nextTask
            let at = since.addingTimeInterval(Double(index + 1) / rate)
            job.tasks[index].outcome = runCopyTask(job, job.tasks[index], index: index, at: at)
            if job.tasks[index].outcome!.succeeded { job.succeeded += 1 } else { job.failed += 1 }
            job.nextTask += 1
            let ran = job.nextTask
            if ran >= timings.failureThresholdMinimumTasks, job.failed * 2 > ran {
                job.status = .failed
                job.activeUntil = at
                job.terminationDate = at
                job.failureReasons.append(
                    S3ControlJob.FailureReason(
                        code: "TaskFailureThresholdExceeded",
                        reason: "Job failed because more than 50% of its \(ran) tasks failed (\(job.failed) failed)."))
                writeReport(&job, at: at)
                return
            }
        }
        if job.nextTask == job.tasks.count {
            let end = since.addingTimeInterval(Double(job.tasks.count) / rate)
            job.activeUntil = end
            job.status = .completing
            job.completingSince = end
        }
    }

    /// The principal a job's tasks act as: a session of the job's role (BO-9).
    private func rolePrincipal(_ job: S3ControlJob) -> SimPrincipal {
        let roleName = job.roleArn.split(separator: "/").last.map(String.init) ?? "role"
        let roleId = iam.roles[job.roleArn]?.roleId ?? "AROASIMULATEDBATCHOPS"
        return SimPrincipal(
            account: job.account, arn: "arn:aws:sts::\(job.account):assumed-role/\(roleName)/s3-batch-operations",
            userId: "\(roleId):s3-batch-operations", accessKeyId: "ASIABATCHOPERATIONS")
    }

    private func taskContext(_ job: S3ControlJob, at: Date, requestId: String) -> SimCallContext {
        SimCallContext(
            principal: rolePrincipal(job), now: at, requestId: requestId, region: job.region,
            configuration: SimConfiguration(region: job.region))
    }

    /// Reads the manifest object as the job's role (s3:GetObject on the manifest, BO-9) and
    /// checks its ETag (required in `Location`, BO-4); a failure is recorded as the job's reason.
    private mutating func readManifest(_ job: inout S3ControlJob) {
        let arn = job.manifest.objectArn
        guard let range = arn.range(of: ":::") else {
            job.failureReasons.append(.init(code: "ManifestInvalid", reason: "Manifest ObjectArn \(arn) is not an S3 object ARN."))
            return
        }
        let path = String(arn[range.upperBound...])
        let parts = path.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else {
            job.failureReasons.append(.init(code: "ManifestInvalid", reason: "Manifest ObjectArn \(arn) names no key."))
            return
        }
        var target = "/\(parts[0])/\(S3BatchCSV.pathEncode(String(parts[1])))"
        if let version = job.manifest.objectVersionId { target += "?versionId=\(S3Service.urlEncode(version))" }
        let request = SimRequest(method: "GET", target: target, headers: [], body: Data())
        var context = taskContext(job, at: job.preparingSince!, requestId: "\(job.id)-manifest")
        let response: SimResponse
        do throws(SimError) {
            response = try S3Service().handle(request, operation: "GetObject", context: &context, state: &self)
        } catch {
            job.failureReasons.append(
                .init(
                    code: "ManifestReadFailed",
                    reason: "Reading the manifest \(path) failed: \(error.code) (HTTP \(error.status)): \(error.message)"))
            return
        }
        let eTag = response.header("ETag").map(S3Service.unquoted) ?? ""
        guard eTag == S3Service.unquoted(job.manifest.eTag) else {
            job.failureReasons.append(
                .init(
                    code: "ManifestETagMismatch",
                    reason: "The manifest's ETag is \(eTag), not \(S3Service.unquoted(job.manifest.eTag)) as the job says."))
            return
        }
        let fields = job.manifest.fields
        let versioned = fields.contains("VersionId")
        var tasks: [S3ControlJob.Task] = []
        for (number, row) in S3BatchCSV.rows(String(decoding: response.body, as: UTF8.self)).enumerated() {
            func field(_ name: String) -> String? {
                guard let index = fields.firstIndex(of: name), index < row.count else { return nil }
                return row[index]
            }
            guard row.count == fields.count, let bucket = field("Bucket"), let rawKey = field("Key"), !bucket.isEmpty, !rawKey.isEmpty,
                !versioned || !(field("VersionId") ?? "").isEmpty
            else {
                job.failureReasons.append(
                    .init(
                        code: "ManifestInvalid",
                        reason:
                            "Manifest line \(number + 1) does not have the fields \(fields.joined(separator: ",")) (version IDs on all rows or none)."
                    ))
                return
            }
            tasks.append(
                .init(bucket: bucket, key: S3BatchCSV.decodeKey(rawKey), versionId: versioned ? field("VersionId") : nil, rawKey: rawKey))
        }
        job.tasks = tasks
    }

    /// One S3PutObjectCopy task: CopyObject from the manifest's object to the target bucket, as
    /// the job's role, with the job's directives (BO-3). S3's own copy rules apply.
    private mutating func runCopyTask(_ job: S3ControlJob, _ task: S3ControlJob.Task, index: Int, at: Date) -> S3ControlJob.Outcome {
        if let injected = s3control.fault(for: task.key) {
            return .init(succeeded: false, httpStatus: injected.status, errorCode: injected.code, message: injected.message)
        }
        let op = job.operation
        let targetKey = (op.targetKeyPrefix ?? "") + task.key
        var source = "/\(task.bucket)/\(S3BatchCSV.pathEncode(task.key))"
        if let version = task.versionId { source += "?versionId=\(S3Service.urlEncode(version))" }
        var headers: [(name: String, value: String)] = [("x-amz-copy-source", source)]
        let directive = op.metadataDirective ?? "COPY"
        headers.append(("x-amz-metadata-directive", directive))
        if directive == "REPLACE" { headers += op.newObjectMetadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
        if let tags = op.newObjectTagging {
            headers.append(("x-amz-tagging-directive", "REPLACE"))
            if !tags.isEmpty {
                headers.append(
                    ("x-amz-tagging", tags.map { "\(S3Service.urlEncode($0.key))=\(S3Service.urlEncode($0.value))" }.joined(separator: "&"))
                )
            }
        }
        if let storageClass = op.storageClass { headers.append(("x-amz-storage-class", storageClass)) }
        if let kms = op.sseAwsKmsKeyId {
            headers.append(("x-amz-server-side-encryption", "aws:kms"))
            headers.append(("x-amz-server-side-encryption-aws-kms-key-id", kms))
        }
        if let checksum = op.checksumAlgorithm { headers.append(("x-amz-checksum-algorithm", checksum)) }
        let path = "/\(op.targetBucket)/\(S3BatchCSV.pathEncode(targetKey))"
        let request = SimRequest(method: "PUT", path: path, rawQuery: "", headers: headers, body: Data())
        var context = taskContext(job, at: at, requestId: "\(job.id)-\(index)")
        do throws(SimError) {
            _ = try S3Service().handle(request, operation: "CopyObject", context: &context, state: &self)
            return .init(succeeded: true, httpStatus: 200, errorCode: "", message: "Successful")
        } catch {
            return .init(succeeded: false, httpStatus: error.status, errorCode: error.code, message: error.message)
        }
    }

    /// The completion report (BO-5): `<prefix>/job-<id>/manifest.json` listing one results CSV
    /// per task status, written as the job's role into the report bucket. Rows are written as
    /// AWS's sample reports show them — HTTP status 5th, error code 6th — although the
    /// `ReportSchema` line names them the other way round; clients must read both. No report
    /// when no task ran.
    private mutating func writeReport(_ job: inout S3ControlJob, at: Date) {
        guard job.report.enabled, let bucketArn = job.report.bucket, job.nextTask > 0 else { return }
        let bucket = String(bucketArn.split(separator: ":", omittingEmptySubsequences: false).last ?? "")
        let base = (job.report.prefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "") + "job-\(job.id)/"
        let failedOnly = job.report.scope == "FailedTasksOnly"
        var results: [(status: String, key: String, md5: String)] = []
        for status in ["succeeded", "failed"] where !(failedOnly && status == "succeeded") {
            let rows = job.tasks[0..<job.nextTask].filter { ($0.outcome?.succeeded ?? false) == (status == "succeeded") }
            guard !rows.isEmpty else { continue }
            var text = ""
            for task in rows {
                let outcome = task.outcome!
                text +=
                    S3BatchCSV.line([
                        task.bucket, task.rawKey, task.versionId ?? "", status, String(outcome.httpStatus), outcome.errorCode,
                        outcome.message,
                    ]) + "\n"
            }
            let data = Data(text.utf8)
            let name = S3Digest.hex(S3Digest.sha256(Data((job.id + status).utf8))).prefix(40)
            let key = base + "results/\(name).csv"
            if putReportObject(job, bucket: bucket, key: key, body: data, at: at) {
                results.append((status, key, S3Digest.hex(S3Digest.md5(data))))
            }
        }
        var json = "{\"Format\":\"Report_CSV_20180820\",\"ReportCreationDate\":\"\(S3Time.iso8601(at))\",\"Results\":["
        json += results.map { r in
            "{\"TaskExecutionStatus\":\"\(r.status)\",\"Bucket\":\"\(bucket)\",\"MD5Checksum\":\"\(r.md5)\",\"Key\":\"\(r.key)\"}"
        }.joined(separator: ",")
        json += "],\"ReportSchema\":\"Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage\"}"
        if !putReportObject(job, bucket: bucket, key: base + "manifest.json", body: Data(json.utf8), at: at) {
            job.failureReasons.append(
                .init(
                    code: "ReportWriteFailed",
                    reason: "The completion report could not be written to s3://\(bucket)/\(base) as \(job.roleArn)."))
        }
    }

    private mutating func putReportObject(_ job: S3ControlJob, bucket: String, key: String, body: Data, at: Date) -> Bool {
        let path = "/\(bucket)/\(S3BatchCSV.pathEncode(key))"
        // Reports are always SSE-S3 (BO-5).
        let request = SimRequest(method: "PUT", path: path, rawQuery: "", headers: [("x-amz-server-side-encryption", "AES256")], body: body)
        var context = taskContext(job, at: at, requestId: "\(job.id)-report")
        do throws(SimError) {
            _ = try S3Service().handle(request, operation: "PutObject", context: &context, state: &self)
            return true
        } catch {
            return false
        }
    }
}
