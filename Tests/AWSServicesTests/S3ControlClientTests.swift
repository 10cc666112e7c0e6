import AWSServices
import Foundation
import TestSupport
import Testing

/// `S3ControlClient` on the wire (a loopback stub: what we send, how we read answers, including
/// malformed ones) and the completion report reader.
@Suite("S3Control client")
struct S3ControlClientTests {
    @Test func createJobSendsTheModelledDocumentWithTheAccountHeader() async throws {
        let stub = try StubbedAWS(.s3Control, status: 200, body: "<CreateJobResult><JobId>abc-123</JobId></CreateJobResult>")
        let control = S3ControlClient(client: stub.client, accountId: "222222222222")
        let request = S3BatchCopyJobRequest(
            clientRequestToken: "tok", description: "d", confirmationRequired: true, priority: 7,
            roleArn: "arn:aws:iam::222222222222:role/BatchCopy", targetBucketArn: "arn:aws:s3:::dst", metadataDirective: "COPY",
            storageClass: "STANDARD_IA", manifestArn: "arn:aws:s3:::staging/m.csv", manifestETag: "\"e\"",
            reportBucketArn: "arn:aws:s3:::staging", reportPrefix: "r", reportScope: "FailedTasksOnly")
        let created = try await control.createJob(request)
        #expect(created.jobId == "abc-123")
        let sent = try #require(stub.requests.last)
        #expect(sent.method == "POST")
        #expect(sent.target == "/v20180820/jobs")
        #expect(sent.header("x-amz-account-id") == "222222222222")
        // A configured endpoint keeps its host: the account travels in the header alone.
        #expect(sent.header("Host")?.hasPrefix("222222222222.") == false)
        let body = String(decoding: sent.body, as: UTF8.self)
        for fragment in [
            "<CreateJobRequest xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\">",
            "<ConfirmationRequired>true</ConfirmationRequired>",
            "<S3PutObjectCopy><TargetResource>arn:aws:s3:::dst</TargetResource><MetadataDirective>COPY</MetadataDirective><StorageClass>STANDARD_IA</StorageClass></S3PutObjectCopy>",
            "<ReportScope>FailedTasksOnly</ReportScope>", "<ClientRequestToken>tok</ClientRequestToken>",
            "<Fields><member>Bucket</member><member>Key</member></Fields>", "<ETag>&quot;e&quot;</ETag>", "<Priority>7</Priority>",
        ] {
            #expect(body.contains(fragment), "\(fragment)")
        }
    }

    @Test func aDescribeJobAnswerWithoutAJobIsMalformedNotASuccess() async throws {
        let stub = try StubbedAWS(.s3Control, status: 200, body: "<DescribeJobResult></DescribeJobResult>")
        let control = S3ControlClient(client: stub.client, accountId: "222222222222")
        do {
            _ = try await control.describeJob("abc")
            Issue.record("a DescribeJob answer without <Job> must fail")
        } catch let error as AWSError {
            #expect(error.code == "MalformedResponse")
            #expect(error.resource == "job/abc")
        }
        let counts = try StubbedAWS(
            .s3Control, status: 200,
            body: """
                <DescribeJobResult><Job><JobId>abc</JobId><Status>Active</Status><ProgressSummary>\
                <TotalNumberOfTasks>many</TotalNumberOfTasks></ProgressSummary></Job></DescribeJobResult>
                """)
        await #expect(throws: AWSError.self) {
            try await S3ControlClient(client: counts.client, accountId: "222222222222").describeJob("abc")
        }
    }

    @Test func anUnknownStatusIsKeptNotRefused() async throws {
        let stub = try StubbedAWS(
            .s3Control, status: 200,
            body: """
                <DescribeJobResult><Job><JobId>abc</JobId><Status>Rebalancing</Status></Job></DescribeJobResult>
                """)
        let job = try await S3ControlClient(client: stub.client, accountId: "222222222222").describeJob("abc")
        #expect(job.status.rawValue == "Rebalancing")
        #expect(!job.status.isTerminal)
        #expect(job.totalTasks == nil)
    }

    @Test func s3ControlErrorsCarryTheirCode() async throws {
        let stub = try StubbedAWS(
            .s3Control, status: 400,
            body: """
                <ErrorResponse><Error><Code>JobStatusException</Code><Message>no</Message></Error><RequestId>r-1</RequestId></ErrorResponse>
                """)
        do {
            _ = try await S3ControlClient(client: stub.client, accountId: "222222222222").updateJobStatus("abc", to: .ready)
            Issue.record("must throw")
        } catch let error as AWSError {
            #expect(error.code == .batchJobStatus)
            #expect(error.requestId == "r-1")
        }
        let sent = try #require(stub.requests.last)
        #expect(sent.target == "/v20180820/jobs/abc/status?requestedJobStatus=Ready")
    }

    @Test func reportRowsAreReadWhicheverWayTheStatusAndCodeColumnsRun() throws {
        // AWS's sample rows put the HTTP status fifth; its ReportSchema line says the error code is.
        let csv = Data(
            """
            src,photos/with+space%2Bplus.jpg,,succeeded,200,,Successful
            src,a.jpg,,failed,404,NoSuchKey,"The specified key does not exist, really"
            src,b.jpg,v1,failed,SlowDown,503,Please reduce your request rate.

            """.utf8)
        let rows = try S3BatchCompletionReport.tasks(csv)
        #expect(rows.count == 3)
        #expect(rows[0].key == "photos/with space+plus.jpg")
        #expect(rows[0].succeeded && rows[0].httpStatus == 200 && rows[0].errorCode == nil)
        #expect(rows[1].httpStatus == 404 && rows[1].errorCode == "NoSuchKey")
        #expect(rows[1].message == "The specified key does not exist, really")
        #expect(rows[2].httpStatus == 503 && rows[2].errorCode == "SlowDown" && rows[2].versionId == "v1")
        #expect(throws: S3BatchCompletionReport.ReportError.self) { try S3BatchCompletionReport.tasks(Data("a,b\n".utf8)) }
        #expect(throws: S3BatchCompletionReport.ReportError.self) { try S3BatchCompletionReport.resultFiles(Data("{}".utf8)) }
        #expect(S3BatchCompletionReport.manifestKey(jobId: "j", prefix: "p") == "p/job-j/manifest.json")
        #expect(S3BatchCompletionReport.decodeKey(S3BatchCompletionReport.encodeKey("a b+c/é,\"")) == "a b+c/é,\"")
    }
}
