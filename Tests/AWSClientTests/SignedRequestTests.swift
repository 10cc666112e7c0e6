import AWSClient
import AWSSigV4
import Foundation
import TestSupport
import Testing

@Suite("what the client puts on the wire")
struct SignedRequestTests {
    @Test func s3RequestIsPathStyleEncodedOnceAndSignedWithS3Rules() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "") }
        let key = "photos/2026 11/ä+b=c~d"
        _ = try await makeClient(server, retry: .disabled).send(
            AWSRequest(
                operation: "HeadObject", method: "HEAD", path: "/" + SigV4URIEncoding.encode(key, encodeSlash: false),
                bucket: "admin-images",
                query: [("versionId", "v 1+2")]))
        let seen = try #require(server.requests.first)
        #expect(seen.path == "/admin-images/photos/2026%2011/%C3%A4%2Bb%3Dc~d")
        #expect(seen.query == "versionId=v%201%2B2")
        #expect(seen.header("Host") == "127.0.0.1:\(server.port)")
        #expect(seen.header("x-amz-content-sha256") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(seen.header("X-Amz-Security-Token") == "TOKEN123")
        let auth = try #require(seen.header("Authorization"))
        #expect(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTESTCLIENT/"))
        #expect(auth.contains("/eu-west-1/s3/aws4_request"))
        #expect(auth.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token"))
        #expect(!auth.contains(testCredentials.secretAccessKey))
    }

    @Test func bucketRootIsAddressedWithoutATrailingSlash() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "") }
        _ = try await makeClient(server, retry: .disabled).send(
            AWSRequest(operation: "ListObjectsV2", bucket: "b", query: [("list-type", "2")]))
        #expect(server.requests.first?.path == "/b")
    }

    @Test func querySignedRequestCarriesFormBodyAndNoContentHashHeader() async throws {
        let server = try LoopbackHTTPServer { _ in
            .text(
                200,
                "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
            )
        }
        let response = try await makeClient(server, service: .sts, retry: .disabled).query(action: "GetCallerIdentity", parameters: [])
        #expect(response.result.string("Account") == "111111111111")
        #expect(response.requestId == "sts-1")
        let seen = try #require(server.requests.first)
        #expect(String(decoding: seen.body, as: UTF8.self) == "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(seen.header("x-amz-content-sha256") == nil)
        #expect(seen.header("Authorization")?.contains("/eu-west-1/sts/aws4_request") == true)
    }

    @Test func requestIdsOfSuccessfulCallsAreReturned() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "", headers: [("x-amz-request-id", "R1"), ("x-amz-id-2", "ID2")]) }
        let response = try await makeClient(server, retry: .disabled).send(
            AWSRequest(operation: "PutBucketVersioning", method: "PUT", bucket: "b"))
        #expect(response.requestId == "R1")
        #expect(response.extendedRequestId == "ID2")
    }

    @Test func credentialsNeverAppearInDescriptions() {
        let text = "\(testCredentials) \(String(describing: testCredentials)) \(String(reflecting: testCredentials))"
        #expect(!text.contains(testCredentials.secretAccessKey))
        #expect(!text.contains("TOKEN123"))
    }
}

@Suite("Query protocol form encoding")
struct QueryFormEncodingTests {
    @Test func encodesLikeBotocoreWithPlusForSpace() {
        #expect(
            QueryParameters.formEncode([("Action", "AssumeRole"), ("RoleSessionName", "night shift"), ("Policy", "{\"a\":\"b+c/d~e\"}")])
                == "Action=AssumeRole&RoleSessionName=night+shift&Policy=%7B%22a%22%3A%22b%2Bc%2Fd~e%22%7D")
    }

    @Test func listsAndTagsFlattenWithOneBasedIndexes() {
        var p = QueryParameters()
        p.addList("VpcSecurityGroupIds", ["sg-1", "sg-2"], member: "VpcSecurityGroupId")
        p.addTags("Tags", [(key: "team", value: "admin")], member: "Tag")
        p.add("MultiAZ", false)
        #expect(
            p.pairs.map { "\($0.0)=\($0.1)" } == [
                "VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-1", "VpcSecurityGroupIds.VpcSecurityGroupId.2=sg-2",
                "Tags.Tag.1.Key=team", "Tags.Tag.1.Value=admin", "MultiAZ=false",
            ])
    }
}
