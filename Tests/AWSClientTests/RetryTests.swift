import Foundation
import TestSupport
import Testing

@testable import AWSClient

@Suite("standard-mode retries, quota and clock skew")
struct RetryTests {
    @Test func throttlingIsRetriedWithBackoffUntilSuccess() async throws {
        let server = try LoopbackHTTPServer(
            handler: scripted([s3Error(503, code: "SlowDown"), s3Error(400, code: "Throttling"), .text(200, "")]))
        let sleeper = SleepRecorder()
        let response = try await makeClient(server, sleeper: sleeper).send(AWSRequest(operation: "HeadBucket", method: "GET", bucket: "b"))
        #expect(response.attempts == 3)
        #expect(server.requests.count == 3)
        #expect(sleeper.recorded.count == 2)
        #expect(sleeper.recorded.allSatisfy { $0 >= .zero && $0 <= .seconds(20) })
    }

    @Test func givesUpAfterThreeAttemptsByDefaultAndSaysSo() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([s3Error(500, code: "InternalError", requestId: "R500")]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server).send(AWSRequest(operation: "ListObjectsV2", bucket: "b", resource: "b"))
        }
        #expect(server.requests.count == 3)
        #expect(error?.code == "InternalError")
        #expect(error?.attempts == 3)
        #expect(error?.requestId == "R500")
        #expect(error?.description.contains("after 3 attempts") == true)
    }

    @Test func operationAbortedIsNotRetriedByTheClient() async throws {
        // S3 answers 409 OperationAborted while a deleted name is held; the SDKs do not retry it and
        // neither do we: the bucket re-create step owns that (much longer) loop.
        let server = try LoopbackHTTPServer(handler: scripted([s3Error(409, code: "OperationAborted")]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server).send(AWSRequest(operation: "CreateBucket", method: "PUT", bucket: "b"))
        }
        #expect(error?.code == "OperationAborted")
        #expect(server.requests.count == 1)
    }

    @Test func connectionResetsAreRetriedAsTransient() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([.close, .text(200, "")]))
        let response = try await makeClient(server).send(AWSRequest(operation: "HeadBucket", method: "HEAD", bucket: "b"))
        #expect(response.attempts == 2)
    }

    @Test func disabledRetriesMakeExactlyOneAttempt() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([s3Error(500, code: "InternalError")]))
        await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(AWSRequest(operation: "ListObjectsV2", bucket: "b"))
        }
        #expect(server.requests.count == 1)
    }

    @Test func emptyRetryQuotaStopsRetryingUntilSuccessesRefillIt() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([s3Error(500, code: "InternalError")]))
        // 10 tokens = two retries at 5 each; after that every call gets only its first attempt.
        let client = makeClient(server, retry: RetryConfiguration(maxAttempts: 3, quotaCapacity: 10))
        for _ in 0..<3 {
            await #expect(throws: AWSError.self) { try await client.send(AWSRequest(operation: "ListObjectsV2", bucket: "b")) }
        }
        #expect(server.requests.count == 3 + 1 + 1)
    }

    @Test func retryQuotaChargesTimeoutsMoreAndRefundsOnSuccess() {
        let quota = RetryQuota(capacity: 20)
        #expect(quota.acquire(timeout: true) == 10)
        #expect(quota.acquire(timeout: false) == 5)
        #expect(quota.remaining == 5)
        quota.release(refund: 5)
        #expect(quota.remaining == 10)
        quota.release(refund: 0)
        #expect(quota.remaining == 11)
        quota.release(refund: 100)
        #expect(quota.remaining == 20)
    }

    @Test func backoffIsFullJitterAndCappedAtTwentySeconds() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "") }
        let client = makeClient(server)
        var sawSmall = false
        for attempt in 1...12 {
            for _ in 0..<50 {
                let d = client.backoff(attempt: attempt)
                #expect(d >= .zero && d <= .seconds(20))
                if d < .milliseconds(500) { sawSmall = true }
            }
        }
        #expect(sawSmall)
    }

    @Test func clockSkewIsCorrectedFromTheServerDateAndTheCallRetried() async throws {
        let realNow = Date()
        let localClock = realNow.addingTimeInterval(-3600)  // this host is an hour behind
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let serverDate = formatter.string(from: realNow)
        var skewed = s3Error(403, code: "RequestTimeTooSkewed")
        if case .respond(let status, let headers, let body) = skewed {
            skewed = .respond(status: status, headers: headers + [("Date", serverDate)], body: body)
        }
        let server = try LoopbackHTTPServer(handler: scripted([skewed, .text(200, "")]))
        let client = makeClient(server, now: { localClock })
        let response = try await client.send(AWSRequest(operation: "ListObjectsV2", bucket: "b"))
        #expect(response.attempts == 2)
        #expect(abs(client.clockOffset - 3600) < 5)
        let amzDates = server.requests.compactMap { $0.header("X-Amz-Date") }
        #expect(amzDates.count == 2)
        #expect(amzDates[0] != amzDates[1])
    }

    @Test func signatureMismatchWithoutClockSkewIsNotRetried() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([s3Error(403, code: "SignatureDoesNotMatch")]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server).send(AWSRequest(operation: "ListObjectsV2", bucket: "b"))
        }
        #expect(error?.code == "SignatureDoesNotMatch")
        #expect(server.requests.count == 1)
    }

    @Test func maxAttemptsFollowsTheSDKEnvironmentVariable() {
        #expect(RetryConfiguration.fromEnvironment(["AWS_MAX_ATTEMPTS": "5"]).maxAttempts == 5)
        #expect(RetryConfiguration.fromEnvironment(["AWS_MAX_ATTEMPTS": "zero"]).maxAttempts == 3)
    }

    @Test func retryClassificationMatchesBotocoreStandardMode() {
        #expect(RetryClassifier.classify(code: "SlowDown", status: 503) == .throttling)
        #expect(RetryClassifier.classify(code: "ThrottlingException", status: 400) == .throttling)
        #expect(RetryClassifier.classify(code: "RequestTimeout", status: 400) == .transient)
        #expect(RetryClassifier.classify(code: "Whatever", status: 502) == .transient)
        #expect(RetryClassifier.classify(code: "OperationAborted", status: 409) == .notRetryable)
        #expect(RetryClassifier.classify(code: "BucketAlreadyExists", status: 409) == .notRetryable)
        #expect(RetryClassifier.classify(code: "AccessDenied", status: 403) == .notRetryable)
        #expect(RetryClassifier.classify(TransportError(kind: .timedOut, message: "", url: "")) == .timeout)
        #expect(RetryClassifier.classify(TransportError(kind: .badURL, message: "", url: "")) == .notRetryable)
    }
}
