import AWSClient
import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// S3 Batch Operations jobs in the simulator, driven through our own `S3ControlClient` and
/// `S3Client` (signed, over `Simulator.handle`) on a virtual clock: every status transition,
/// confirmation, cancellation, per-task failures and the completion report's contents.
@Suite("SimS3Control: Batch Operations jobs")
struct SimS3ControlJobTests {
    static let legacy = "111111111111"
    static let product = "222222222222"
    static let role = "arn:aws:iam::222222222222:role/BatchCopy"

    /// Source bucket `src` in legacy (readable by product's BatchCopy role), `dst` and `staging`
    /// in product; a job rate of 10 tasks/s.
    struct World {
        let simulator: Simulator
        let clock: VirtualClock
        let s3: S3Client
        let control: S3ControlClient
        let keys: [String]

        init(objects: Int = 30, transport wrap: ((SimulatorTransport) -> any HTTPTransport)? = nil) throws {
            let clock = VirtualClock()
            self.clock = clock
            simulator = Simulator(configuration: SimConfiguration(region: "us-east-1", bucketNameHold: 3600), clock: clock)
            try simulator.addAccount(id: SimS3ControlJobTests.legacy, name: "legacy")
            try simulator.addAccount(id: SimS3ControlJobTests.product, name: "product")
            let key = try simulator.addUser(account: SimS3ControlJobTests.product, name: "bob")
            try simulator.addRole(
                account: SimS3ControlJobTests.product, name: "BatchCopy", trustedPrincipals: ["batchoperations.s3.amazonaws.com"])
            try simulator.addRole(
                account: SimS3ControlJobTests.product, name: "NotForBatch", trustedPrincipals: [SimS3ControlJobTests.legacy])
            let policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\(SimS3ControlJobTests.role)"},\
                "Action":["s3:GetObject","s3:GetObjectTagging"],"Resource":"arn:aws:s3:::src/*"}]}
                """
            try simulator.seedBucket("src", account: SimS3ControlJobTests.legacy, policy: policy)
            try simulator.seedBucket("dst", account: SimS3ControlJobTests.product)
            try simulator.seedBucket("staging", account: SimS3ControlJobTests.product)
            var keys: [String] = []
            for index in 0..<objects {
                let key = index == 1 ? "photos/with space+plus.jpg" : "photos/\(String(format: "%03d", index)).jpg"
                try simulator.seedObject(
                    bucket: "src", key: key, body: Data("body \(index)".utf8),
                    write: S3ObjectWrite(
                        contentType: "image/jpeg", metadata: ["n": String(index)], tags: [S3TagPair(key: "team", value: "web")]))
                keys.append(key)
            }
            self.keys = keys
            var timings = S3BatchTimings()
            timings.tasksPerSecond = 10
            simulator.setBatchTimings(timings)
            let base = SimulatorTransport(simulator)
            let transport = wrap?(base) ?? base
            let client = AWSClient(
                service: .s3, region: "us-east-1",
                credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)),
                transport: transport, endpoints: EndpointResolver(environment: [:]), retry: .init(maxAttempts: 1),
                account: SimS3ControlJobTests.product, now: { clock.now() }, sleep: { _ in })
            s3 = S3Client(client: client)
            control = S3ControlClient(client: client, accountId: SimS3ControlJobTests.product)
        }

        /// Writes a manifest of `keys` into staging and creates a job copying them into `dst`.
        func createJob(
            keys: [String]? = nil, token: String = "token-1", confirm: Bool = true, scope: String = "AllTasks", role: String = role,
            priority: Int = 10, manifestETag: String? = nil
        ) async throws -> String {
            let manifest = S3BatchManifestText.csv(bucket: "src", keys: keys ?? self.keys)
            let written = try await s3.putObject(bucket: "staging", key: "manifests/\(token).csv", body: manifest)
            let request = S3BatchCopyJobRequest(
                clientRequestToken: token, description: "\(token) test", confirmationRequired: confirm, priority: priority, roleArn: role,
                targetBucketArn: "arn:aws:s3:::dst", metadataDirective: "COPY", manifestArn: "arn:aws:s3:::staging/manifests/\(token).csv",
                manifestETag: manifestETag ?? written.eTag!, reportBucketArn: "arn:aws:s3:::staging", reportPrefix: "reports",
                reportScope: scope)
            return try await control.createJob(request).jobId
        }

        func describe(_ id: String) async throws -> S3BatchJob { try await control.describeJob(id) }

        func reportText(_ id: String) throws -> (manifest: String, results: [String: String]) {
            let manifest = simulator.object(bucket: "staging", key: "reports/job-\(id)/manifest.json")
            guard case .bytes(let data)? = manifest?.body else { return ("", [:]) }
            var results: [String: String] = [:]
            for file in try S3BatchCompletionReport.resultFiles(data) {
                if case .bytes(let csv)? = simulator.object(bucket: file.bucket, key: file.key)?.body {
                    results[file.taskExecutionStatus] = String(decoding: csv, as: UTF8.self)
                }
            }
            return (String(decoding: data, as: UTF8.self), results)
        }
    }

    @Test func aConfirmedJobPassesThroughEveryStatusAndCopiesWithItsDirectives() async throws {
        let world = try World(objects: 30)
        let id = try await world.createJob()
        var job = try await world.describe(id)
        #expect(job.status == .new)
        #expect(job.totalTasks == nil)

        world.clock.advance(by: 1)
        job = try await world.describe(id)
        #expect(job.status == .preparing)

        world.clock.advance(by: 2.5)  // 2 s of preparation plus one per 100,000 rows
        job = try await world.describe(id)
        #expect(job.status == .suspended)
        #expect(job.suspendedCause == "AwaitingConfirmation")
        #expect(job.totalTasks == 30)
        #expect(world.simulator.object(bucket: "dst", key: world.keys[0]) == nil, "nothing copied before confirmation")

        let confirmed = try await world.control.updateJobStatus(id, to: .ready, reason: "go")
        #expect(confirmed.status == .ready)
        world.clock.advance(by: 1)
        job = try await world.describe(id)
        #expect(job.status == .active)
        #expect(job.tasksDone == 0)

        world.clock.advance(by: 1.5)
        job = try await world.describe(id)
        #expect(job.status == .active)
        #expect(job.tasksSucceeded == 15)
        #expect(job.elapsedActiveSeconds == 1)

        world.clock.advance(by: 1.5)
        job = try await world.describe(id)
        #expect(job.status == .completing)
        #expect(job.tasksSucceeded == 30)
        #expect(job.elapsedActiveSeconds == 3)
        #expect(job.terminationDate == nil)

        world.clock.advance(by: 1)
        job = try await world.describe(id)
        #expect(job.status == .complete)
        #expect(job.terminationDate != nil)
        #expect(job.tasksSucceeded == 30 && job.tasksFailed == 0)

        // Metadata, content type and tags COPY'd from the source, as CopyObject would.
        let copied = try #require(world.simulator.object(bucket: "dst", key: "photos/with space+plus.jpg"))
        #expect(copied.body == .bytes(Data("body 1".utf8)))
        #expect(copied.write.contentType == "image/jpeg")
        #expect(copied.write.metadata == ["n": "1"])
        #expect(copied.write.tags == [S3TagPair(key: "team", value: "web")])

        let report = try world.reportText(id)
        #expect(report.manifest.contains("\"Format\":\"Report_CSV_20180820\""))
        #expect(
            report.manifest.contains("\"ReportSchema\":\"Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage\""))
        #expect(report.results["failed"] == nil)
        let lines = try #require(report.results["succeeded"]).split(separator: "\n")
        #expect(lines.count == 30)
        #expect(lines.contains("src,photos/with+space%2Bplus.jpg,,succeeded,200,,Successful"))
        // Reports are always SSE-S3.
        #expect(world.simulator.object(bucket: "staging", key: "reports/job-\(id)/manifest.json")?.write.serverSideEncryption == "AES256")
    }

    @Test func aJobsCopiesAppearToEveryCallerAsTimePasses() async throws {
        let world = try World(objects: 10)
        _ = try await world.createJob(confirm: false)
        world.clock.advance(by: 4.5)  // Active since 4.00005 s: 4 tasks done
        // An S3 listing of the destination, not an S3 Control call, sees the copies made so far.
        let listed = try await world.s3.listAllObjects(bucket: "dst")
        #expect(listed.count == 4)
    }

    @Test func aJobWithoutConfirmationGoesFromPreparingToReadyToActive() async throws {
        let world = try World(objects: 5)
        let id = try await world.createJob(confirm: false)
        world.clock.advance(by: 3.5)
        #expect(try await world.describe(id).status == .ready)
        world.clock.advance(by: 1)
        #expect(try await world.describe(id).status == .active)
        world.clock.advance(by: 0.5)
        #expect(try await world.describe(id).status == .completing)
        world.clock.advance(by: 1)
        let job = try await world.describe(id)
        #expect(job.status == .complete)
        #expect(job.tasksSucceeded == 5)
    }

    @Test func updateJobStatusAllowsOnlyTheDocumentedTransitions() async throws {
        let world = try World(objects: 3)
        let id = try await world.createJob()
        await #expect(throws: AWSError.self) { try await world.control.updateJobStatus(id, to: .ready) }  // New: not Suspended
        do {
            _ = try await world.control.updateJobStatus(id, to: .ready)
        } catch let error as AWSError {
            #expect(error.code == .batchJobStatus)
            #expect(error.message.contains("New"))
        }
        do {
            _ = try await world.control.updateJobStatus(id, to: .active)
            Issue.record("Active is not a status UpdateJobStatus accepts")
        } catch let error as AWSError {
            #expect(error.code == "BadRequestException")
        }
        do {
            _ = try await world.control.describeJob("00000000-0000-0000-0000-000000000000")
            Issue.record("an unknown job must be refused")
        } catch let error as AWSError {
            #expect(error.code == .batchJobNotFound)
            #expect(error.httpStatus == 404)
        }
        world.clock.advance(by: 3.5)
        _ = try await world.control.updateJobStatus(id, to: .ready)
        world.clock.advance(by: 10)
        #expect(try await world.describe(id).status == .complete)
        do {
            _ = try await world.control.updateJobStatus(id, to: .cancelled)
            Issue.record("a complete job cannot be cancelled")
        } catch let error as AWSError {
            #expect(error.code == .batchJobStatus)
        }
    }

    @Test func cancellingAnActiveJobStopsItsTasksAndReportsWhatRan() async throws {
        let world = try World(objects: 30)
        let id = try await world.createJob()
        world.clock.advance(by: 3.5)
        _ = try await world.control.updateJobStatus(id, to: .ready)
        world.clock.advance(by: 2)  // Ready for 1 s, then Active for 1 s: 10 tasks
        let cancelled = try await world.control.updateJobStatus(id, to: .cancelled, reason: "rollback")
        #expect(cancelled.status == .cancelling)
        world.clock.advance(by: 5)
        let job = try await world.describe(id)
        #expect(job.status == .cancelled)
        #expect(job.tasksSucceeded == 10)
        #expect(job.statusUpdateReason == "rollback")
        #expect(world.simulator.object(bucket: "dst", key: world.keys[9]) != nil)
        #expect(world.simulator.object(bucket: "dst", key: world.keys[10]) == nil)
        #expect(try world.reportText(id).results["succeeded"]?.split(separator: "\n").count == 10)
        // A job cancelled before any task ran writes no report.
        let early = try await world.createJob(token: "token-2")
        _ = try await world.control.updateJobStatus(early, to: .cancelled)
        world.clock.advance(by: 2)
        #expect(try await world.describe(early).status == .cancelled)
        #expect(try world.reportText(early).manifest.isEmpty)
    }

    @Test func tasksFailPerObjectAndTheReportSaysWhy() async throws {
        let world = try World(objects: 6)
        world.simulator.injectBatchTaskFault(
            S3BatchTaskFault(
                keyPrefix: "photos/004", error: SimError("SlowDown", "Please reduce your request rate.", status: 503)))
        let keys = world.keys + ["photos/missing.jpg"]
        let id = try await world.createJob(keys: keys, confirm: false, scope: "FailedTasksOnly")
        world.clock.advance(by: 30)
        let job = try await world.describe(id)
        #expect(job.status == .complete)
        #expect(job.tasksSucceeded == 5)
        #expect(job.tasksFailed == 2)
        let report = try world.reportText(id)
        #expect(report.results["succeeded"] == nil, "FailedTasksOnly")
        let failed = try S3BatchCompletionReport.tasks(Data(try #require(report.results["failed"]).utf8))
        #expect(failed.map(\.key).sorted() == ["photos/004.jpg", "photos/missing.jpg"])
        let missing = try #require(failed.first { $0.key == "photos/missing.jpg" })
        #expect(missing.httpStatus == 404)
        #expect(missing.errorCode == "NoSuchKey")
        #expect(missing.status == "failed")
        #expect(failed.first { $0.key == "photos/004.jpg" }?.errorCode == "SlowDown")
    }

    @Test func aJobFailsWhenMoreThanHalfOfItsTasksFail() async throws {
        let world = try World(objects: 2)
        var timings = world.simulator.batchTimings
        timings.failureThresholdMinimumTasks = 4
        world.simulator.setBatchTimings(timings)
        let keys = world.keys + (0..<6).map { "gone/\($0)" }
        let id = try await world.createJob(keys: keys, confirm: false)
        world.clock.advance(by: 60)
        let job = try await world.describe(id)
        #expect(job.status == .failed)
        #expect(job.failureReasons.first?.code == "TaskFailureThresholdExceeded")
        #expect(job.tasksDone < keys.count, "it stops once the threshold is crossed")
    }

    @Test func aManifestWhoseETagDiffersFailsTheJob() async throws {
        let world = try World(objects: 2)
        let id = try await world.createJob(confirm: false, manifestETag: "\"0123456789abcdef0123456789abcdef\"")
        world.clock.advance(by: 5)
        let job = try await world.describe(id)
        #expect(job.status == .failed)
        #expect(job.failureReasons.first?.code == "ManifestETagMismatch")
        #expect(job.terminationDate != nil)
    }

    @Test func createJobChecksTheRoleAndHonoursTheClientRequestToken() async throws {
        let world = try World(objects: 2)
        for role in ["arn:aws:iam::222222222222:role/Nobody", "arn:aws:iam::222222222222:role/NotForBatch"] {
            do {
                _ = try await world.createJob(token: "bad-\(role.count)", role: role)
                Issue.record("\(role) must be refused")
            } catch let error as AWSError {
                #expect(error.code == "BadRequestException")
                #expect(error.message.contains(role))
            }
        }
        let first = try await world.createJob(token: "same")
        let again = try await world.createJob(token: "same")
        #expect(first == again)
        #expect(world.simulator.batchJobs(account: Self.product).count == 1)
        do {
            _ = try await world.createJob(token: "same", priority: 99)
            Issue.record("the same token with another request must be refused")
        } catch let error as AWSError {
            #expect(error.code == .batchIdempotency)
        }
    }

    @Test func listJobsFiltersByStatusAndPages() async throws {
        let world = try World(objects: 2)
        let done = try await world.createJob(token: "a", confirm: false)
        world.clock.advance(by: 30)
        let waiting = try await world.createJob(token: "b")
        world.clock.advance(by: 1)
        let complete = try await world.control.listJobs(statuses: [.complete])
        #expect(complete.jobs.map(\.id) == [done])
        #expect(complete.jobs.first?.description == "a test")
        let preparing = try await world.control.listJobs(statuses: [.preparing, .suspended])
        #expect(preparing.jobs.map(\.id) == [waiting])
        let page = try await world.control.listJobs(maxResults: 1)
        #expect(page.jobs.map(\.id) == [waiting], "newest first")
        #expect(page.nextToken != nil)
        #expect(try await world.control.listAllJobs().map(\.id) == [waiting, done])
    }

    @Test func anotherAccountsHeaderIsRefused() async throws {
        let world = try World(objects: 1)
        let other = S3ControlClient(client: world.control.client, accountId: Self.legacy)
        do {
            _ = try await other.listJobs()
            Issue.record("acting on another account's jobs must be refused")
        } catch let error as AWSError {
            #expect(error.code == "AccessDenied")
            #expect(error.httpStatus == 403)
        }
    }

    @Test func theAccountPrefixesTheHostOnlyOnAWSsOwnEndpoint() async throws {
        let recorder = HostRecorder()
        let world = try World(objects: 1) { base in RecordingTransport(base: base, recorder: recorder) }
        _ = try await world.control.listJobs()
        #expect(recorder.hosts.last == "222222222222.s3-control.us-east-1.amazonaws.com")
        #expect(recorder.accountHeaders.last == "222222222222")

        let local = AWSClient(
            service: .s3Control, region: "us-east-1", credentials: world.control.client.credentials,
            transport: world.control.client.transport, endpoints: EndpointResolver(overrideURL: "http://127.0.0.1:4566"),
            retry: .init(maxAttempts: 1), account: Self.product, now: { world.clock.now() }, sleep: { _ in })
        _ = try await S3ControlClient(client: local, accountId: Self.product).listJobs()
        #expect(recorder.hosts.last == "127.0.0.1:4566")
        #expect(recorder.accountHeaders.last == "222222222222")
    }
}

/// The manifest text the tests write (the same format `s3.batch-copy` writes).
enum S3BatchManifestText {
    static func csv(bucket: String, keys: [String]) -> Data {
        Data(keys.map { "\(bucket),\(S3BatchCompletionReport.encodeKey($0))\n" }.joined().utf8)
    }
}

final class HostRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [(host: String, account: String?)] = []
    func add(_ host: String, _ account: String?) { lock.withLock { seen.append((host, account)) } }
    var hosts: [String] { lock.withLock { seen.map(\.host) } }
    var accountHeaders: [String?] { lock.withLock { seen.map(\.account) } }
}

struct RecordingTransport: HTTPTransport {
    let base: SimulatorTransport
    let recorder: HostRecorder
    func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        recorder.add(request.headers["Host"] ?? "", request.headers["x-amz-account-id"])
        return try await base.send(request, timeout: timeout)
    }
}
