import AWSClient
import Foundation
import TestSupport
import Testing

/// Whatever comes back, the caller gets a typed answer naming the operation and request ID —
/// never a crash, never a silent success.
@Suite("malformed and hostile responses")
struct BadResponseTests {
    @Test func s3ErrorDocumentBecomesAnErrorWithEveryOperatorFact() async throws {
        let server = try LoopbackHTTPServer(
            handler: scripted([
                s3Error(404, code: "NoSuchBucket", message: "The specified bucket does not exist", requestId: "4442587FB7D0A2F9")
            ]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(
                AWSRequest(operation: "GetBucketPolicy", bucket: "admin-images", query: [("policy", "")], resource: "admin-images"))
        }
        let e = try #require(error)
        #expect(e.origin == .service)
        #expect(e.code == "NoSuchBucket")
        #expect(e.httpStatus == 404)
        #expect(e.requestId == "4442587FB7D0A2F9")
        #expect(e.extendedRequestId == "HOST4442587FB7D0A2F9")
        #expect(e.account == "111111111111")
        #expect(e.resource == "admin-images")
        #expect(e.description.contains("s3:GetBucketPolicy failed: NoSuchBucket (HTTP 404)"))
        #expect(e.description.contains("account 111111111111"))
        #expect(e.description.contains("request ID 4442587FB7D0A2F9"))
    }

    @Test func queryErrorResponseGivesCodeAndBodyRequestId() async throws {
        let body = """
            <ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type><Code>DBSnapshotNotFound</Code><Message>DBSnapshot snap-1 not found.</Message></Error><RequestId>b6c3a8e1-0000</RequestId></ErrorResponse>
            """
        let server = try LoopbackHTTPServer(handler: scripted([.text(404, body, headers: [("Content-Type", "text/xml")])]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, service: .rds, retry: .disabled).query(
                action: "DescribeDBSnapshots", parameters: [], resource: "snap-1")
        }
        #expect(error?.code == "DBSnapshotNotFound")
        #expect(error?.message == "DBSnapshot snap-1 not found.")
        #expect(error?.requestId == "b6c3a8e1-0000")
        #expect(error?.service == "rds")
    }

    @Test func jsonErrorTypeIsShortenedToTheCode() async throws {
        let server = try LoopbackHTTPServer(
            handler: scripted([
                .text(
                    400, #"{"__type":"com.amazonaws.kms#NotFoundException","message":"Key 'arn:aws:kms:…' does not exist"}"#,
                    headers: [("x-amzn-RequestId", "kms-req-1")])
            ]))
        struct In: Encodable, Sendable { var KeyId: String }
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, service: .kms, retry: .disabled).json(
                operation: "DescribeKey", input: In(KeyId: "k"), resource: "k")
        }
        #expect(error?.code == "NotFoundException")
        #expect(error?.requestId == "kms-req-1")
    }

    @Test func htmlErrorPageFromAProxyIsReportedAsSuch() async throws {
        let server = try LoopbackHTTPServer(
            handler: scripted([
                .text(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", headers: [("Content-Type", "text/html")])
            ]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(AWSRequest(operation: "ListObjectsV2", bucket: "b"))
        }
        #expect(error?.code == "HTTP502")
        #expect(error?.message.contains("not an AWS error document") == true)
        #expect(error?.message.contains("text/html") == true)
    }

    @Test func errorWithoutBodyTakesItsCodeFromTheStatus() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([.respond(status: 404, headers: [("x-amz-request-id", "HEAD404")])]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(AWSRequest(operation: "HeadBucket", method: "HEAD", bucket: "gone"))
        }
        #expect(error?.code == "NotFound")
        #expect(error?.requestId == "HEAD404")
    }

    @Test func unknownErrorCodeIsKeptVerbatim() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([s3Error(400, code: "BrandNewErrorCode2027")]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(AWSRequest(operation: "PutBucketVersioning", method: "PUT", bucket: "b"))
        }
        #expect(error?.code == "BrandNewErrorCode2027")
    }

    @Test func truncatedErrorXMLStillYieldsATypedError() async throws {
        let server = try LoopbackHTTPServer(
            handler: scripted([.text(500, "<Error><Code>Intern", headers: [("x-amz-request-id", "TRUNC")])]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(AWSRequest(operation: "ListObjectsV2", bucket: "b"))
        }
        #expect(error?.code == "InternalError")
        #expect(error?.requestId == "TRUNC")
    }

    @Test func twoHundredWithAnErrorBodyIsAnErrorForCopyObject() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([s3Error(200, code: "InternalError", requestId: "COPY200")]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(
                AWSRequest(operation: "CopyObject", method: "PUT", path: "/k", bucket: "b", errorMayHideIn200: true))
        }
        #expect(error?.code == "InternalError")
        #expect(error?.requestId == "COPY200")
    }

    @Test func twoHundredWithAnEmptyBodyIsAnErrorWhereAResultMustBe() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([.text(200, "", headers: [("x-amz-request-id", "EMPTY")])]))
        await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(
                AWSRequest(operation: "CompleteMultipartUpload", method: "POST", path: "/k", bucket: "b", errorMayHideIn200: true))
        }
    }

    @Test func malformedQuerySuccessBodyIsAMalformedResponseNamingOperationAndRequestId() async throws {
        let server = try LoopbackHTTPServer(
            handler: scripted([.text(200, "<DescribeDBInstancesResponse><DescribeDBInst", headers: [("x-amzn-RequestId", "RDS-TRUNC")])]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, service: .rds, retry: .disabled).query(action: "DescribeDBInstances", parameters: [])
        }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.code == "MalformedResponse")
        #expect(error?.operation == "DescribeDBInstances")
        #expect(error?.requestId == "RDS-TRUNC")
    }

    @Test func emptyQuerySuccessBodyIsMalformedNotSuccess() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([.text(200, "")]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, service: .sts, retry: .disabled).query(action: "GetCallerIdentity", parameters: [])
        }
        #expect(error?.origin == .malformedResponse)
    }

    @Test func wrongRootElementIsMalformed() async throws {
        let server = try LoopbackHTTPServer(handler: scripted([.text(200, "<SomethingElse/>")]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, service: .sts, retry: .disabled).query(action: "GetCallerIdentity", parameters: [])
        }
        #expect(error?.message.contains("expected <GetCallerIdentityResponse>") == true)
    }

    @Test func resetMidBodyIsATransportErrorNamingTheOperation() async throws {
        let server = try LoopbackHTTPServer(
            handler: scripted([.truncate(status: 200, body: Data("<ListBucketResult>".utf8), declaredLength: 4096)]))
        let error = await #expect(throws: AWSError.self) {
            try await makeClient(server, retry: .disabled).send(AWSRequest(operation: "ListObjectsV2", bucket: "b", resource: "b"))
        }
        #expect(error?.origin == .transport)
        #expect(error?.code == "Transport.partialResponse")
        #expect(error?.operation == "ListObjectsV2")
        #expect(error?.resource == "b")
    }

    @Test func deeplyNestedXMLIsRejectedNotACrash() throws {
        let doc = String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000)
        #expect(throws: XMLDecodeError.self) { try XMLNode.parse(Data(doc.utf8)) }
    }

    @Test func jsonErrorTypeThatShortensToNothingFallsBackToTheStatusCode() throws {
        // `{"__type":"#"}` gave an error with an empty code (found by fuzzing).
        for type in ["", "#", "com.amazonaws.kms#", ":http://x"] {
            let body = try JSONSerialization.data(withJSONObject: ["__type": type, "message": "m"])
            let decoded = AWSErrorDecoder.decode(
                HTTPResponse(status: 400, body: body), wireProtocol: .json(targetPrefix: "T", jsonVersion: "1.1"))
            #expect(decoded.code == "BadRequest", "__type \(type)")
            #expect(decoded.message == "m")
        }
        let headerNamed = AWSErrorDecoder.decode(
            HTTPResponse(status: 400, headers: ["x-amzn-ErrorType": "ThrottlingException:http://x"], body: Data(##"{"__type":"#"}"##.utf8)),
            wireProtocol: .json(targetPrefix: "T", jsonVersion: "1.1"))
        #expect(headerNamed.code == "ThrottlingException")
    }

    @Test func xmlThatIsNotUTF8IsRejectedNotACrash() throws {
        // An element name with bytes that are not UTF-8 trapped inside FoundationXML (found by fuzzing).
        let doc = Data([0x3C, 0xFE, 0xFF, 0xFF, 0x3E, 0x3C, 0x2F, 0xFE, 0xFF, 0xFF, 0x3E])
        #expect(throws: XMLDecodeError.self) { try XMLNode.parse(doc) }
        #expect(try XMLNode.parse(Data("<a>é</a>".utf8)).text == "é")
    }

    @Test func processingInstructionsAndDoctypesAreRejectedNotACrash() throws {
        // `<?target?>` (no data) made FoundationXML call strlen on a null pointer (found by fuzzing).
        for doc in [
            "<a><?pi?></a>", "<?pi?><a/>", "<a><?pi data?></a>", "<?xml version=\"1.0\"?><a><?x?></a>",
            "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
        ] {
            #expect(throws: XMLDecodeError.self, "\(doc)") { try XMLNode.parse(Data(doc.utf8)) }
        }
        // The declaration itself, with or without a byte order mark, is fine.
        #expect(try XMLNode.parse(Data(#"<?xml version="1.0" encoding="UTF-8"?><a>x</a>"#.utf8)).text == "x")
        #expect(try XMLNode.parse(Data([0xEF, 0xBB, 0xBF]) + Data(#"<?xml version="1.0"?>\#n<a/>"#.utf8)).name == "a")
    }

    @Test func credentialFailureIsAnAWSErrorThatSaysSo() async throws {
        struct NoCredentials: CredentialProvider {
            struct Missing: Error, CustomStringConvertible { var description: String { "no credentials in env" } }
            func credentials() async throws -> AWSCredentials { throw Missing() }
        }
        let server = try LoopbackHTTPServer { _ in .text(200, "") }
        let client = AWSClient(
            service: .s3, region: "eu-west-1", credentials: NoCredentials(), endpoints: EndpointResolver(overrideURL: server.baseURL),
            account: "legacy")
        let error = await #expect(throws: AWSError.self) {
            try await client.send(AWSRequest(operation: "HeadBucket", method: "HEAD", bucket: "b"))
        }
        #expect(error?.origin == .credentials)
        #expect(error?.message.contains("no credentials in env") == true)
        #expect(server.requests.isEmpty)
    }
}
