import AWSServices
import Foundation
import Testing

/// S3Client over a loopback server: what it sends, and how it treats answers that are errors,
/// empty, truncated, or not the document the operation promises.
@Suite struct S3ClientWireTests {
    /// Runs `body`, expecting `MalformedResponse` naming `operation`.
    func expectMalformed<T>(_ operation: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T) async {
        do {
            let value = try await body()
            Issue.record("expected MalformedResponse, got \(value)", sourceLocation: sourceLocation)
        } catch let error as AWSError {
            #expect(error.origin == .malformedResponse, "\(error)", sourceLocation: sourceLocation)
            #expect(error.code == "MalformedResponse", sourceLocation: sourceLocation)
            #expect(error.operation == operation, sourceLocation: sourceLocation)
            #expect(error.requestId == "REQ123", sourceLocation: sourceLocation)
            #expect(error.account == "111111111111", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected AWSError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        "", "<ListBucketResult><Contents><Key>a</Key>", "<html><body>proxy error</body></html>", "not xml at all",
        "<ListAllMyBucketsResult/>",
    ])
    func listObjectsRejectsBodiesThatAreNotAListing(body: String) async throws {
        let stub = S3Stub(body: body)
        await expectMalformed("ListObjectsV2") { try await stub.s3.listObjectsV2(bucket: "b") }
    }

    @Test func listingEntriesWithMissingOrBadFieldsAreMalformed() async throws {
        let noSize = S3Stub(
            body:
                "<ListBucketResult><Contents><Key>a</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified></Contents></ListBucketResult>"
        )
        await expectMalformed("ListObjectsV2") { try await noSize.s3.listObjectsV2(bucket: "b") }
        let badDate = S3Stub(
            body:
                "<ListVersionsResult><Version><Key>a</Key><VersionId>v</VersionId><IsLatest>true</IsLatest><LastModified>yesterday</LastModified></Version></ListVersionsResult>"
        )
        await expectMalformed("ListObjectVersions") { try await badDate.s3.listObjectVersions(bucket: "b") }
        let badBool = S3Stub(body: "<ListMultipartUploadsResult><IsTruncated>maybe</IsTruncated></ListMultipartUploadsResult>")
        await expectMalformed("ListMultipartUploads") { try await badBool.s3.listMultipartUploads(bucket: "b") }
    }

    @Test func emptyOrTruncatedResultDocumentsAreMalformed() async throws {
        let empty = S3Stub(body: "")
        await expectMalformed("DeleteObjects") { try await empty.s3.deleteObjects(bucket: "b", objects: [S3ObjectIdentifier(key: "k")]) }
        await expectMalformed("GetBucketLocation") { try await empty.s3.getBucketLocation("b") }
        await expectMalformed("CreateMultipartUpload") { try await empty.s3.createMultipartUpload(bucket: "b", key: "k") }
        await expectMalformed("GetObjectAttributes") { try await empty.s3.getObjectAttributes(bucket: "b", key: "k") }
        await expectMalformed("GetObjectTagging") { try await empty.s3.getObjectTagging(bucket: "b", key: "k") }
        await expectMalformed("GetBucketVersioning") { try await empty.s3.getBucketVersioning(bucket: "b") }
        await expectMalformed("GetBucketCors") { try await empty.s3.getBucketSubresource(.cors, bucket: "b") }
        await expectMalformed("GetBucketPolicy") { try await empty.s3.getBucketPolicy(bucket: "b") }
        let truncated = S3Stub(body: "<DeleteResult><Deleted><Key>k</Key></Deleted>")
        await expectMalformed("DeleteObjects") {
            try await truncated.s3.deleteObjects(bucket: "b", objects: [S3ObjectIdentifier(key: "k")])
        }
        let noUploadId = S3Stub(body: "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key></InitiateMultipartUploadResult>")
        await expectMalformed("CreateMultipartUpload") { try await noUploadId.s3.createMultipartUpload(bucket: "b", key: "k") }
    }

    @Test func copyWithErrorInA200BodyIsTheError() async throws {
        let stub = S3Stub(body: S3Stub.s3Error("InternalError", "We encountered an internal error. Please try again."))
        do {
            _ = try await stub.s3.copyObject(S3CopyObjectRequest(sourceBucket: "s", sourceKey: "k", bucket: "d", key: "k"))
            Issue.record("a 200 with <Error> must fail")
        } catch let error as AWSError {
            #expect(error.code == "InternalError")
            #expect(error.operation == "CopyObject")
            #expect(error.origin == .service)
        }
        await #expect(throws: AWSError.self) {
            try await stub.s3.completeMultipartUpload(
                bucket: "d", key: "k", uploadId: "u", parts: [S3CompletedPart(partNumber: 1, eTag: "e")])
        }
        await #expect(throws: AWSError.self) {
            try await stub.s3.uploadPartCopy(bucket: "d", key: "k", uploadId: "u", partNumber: 1, sourceBucket: "s", sourceKey: "k")
        }
    }

    @Test func copyWithEmpty200BodyIsNeverASuccess() async throws {
        let stub = S3Stub(body: "")
        await #expect(throws: AWSError.self) {
            try await stub.s3.copyObject(S3CopyObjectRequest(sourceBucket: "s", sourceKey: "k", bucket: "d", key: "k"))
        }
    }

    @Test func copySendsSourceHeaderOnTheBucketPath() async throws {
        let stub = S3Stub(
            body: "<CopyObjectResult><ETag>\"e\"</ETag><LastModified>2009-10-28T22:32:00.000Z</LastModified></CopyObjectResult>")
        let result = try await stub.s3.copyObject(S3CopyObjectRequest(sourceBucket: "s", sourceKey: "a b/c", bucket: "d", key: "x y/z"))
        #expect(result.eTag == "\"e\"")
        #expect(result.requestId == "REQ123")
        let request = try #require(stub.last)
        #expect(request.method == "PUT")
        #expect(request.path == "/d/x%20y/z")
        #expect(request.header("x-amz-copy-source") == "s/a%20b/c")
    }

    @Test func unconfiguredSubresourcesAreNilButOtherErrorsThrow() async throws {
        for subresource in BucketSubresource.allCases {
            guard let code = subresource.notConfiguredCodes.first else { continue }
            let stub = S3Stub(status: 404, body: S3Stub.s3Error(code))
            #expect(try await stub.s3.getBucketSubresource(subresource, bucket: "b") == nil, "\(subresource)")
            #expect(stub.last?.query == "\(subresource.queryName)=")
        }
        let missing = S3Stub(status: 404, body: S3Stub.s3Error("NoSuchBucket"))
        await #expect(throws: AWSError.self) { try await missing.s3.getBucketSubresource(.cors, bucket: "b") }
        let denied = S3Stub(status: 403, body: S3Stub.s3Error("AccessDenied"))
        await #expect(throws: AWSError.self) { try await denied.s3.getBucketSubresource(.policy, bucket: "b") }
    }

    @Test func emptyDocumentsMeanNotConfigured() async throws {
        let ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""
        // Keep each stub alive for the call: its deinit stops the server.
        let logging = S3Stub(body: "<BucketLoggingStatus \(ns)/>")
        #expect(try await logging.s3.getBucketSubresource(.logging, bucket: "b") == nil)
        let notification = S3Stub(body: "<NotificationConfiguration \(ns)/>")
        #expect(try await notification.s3.getBucketSubresource(.notification, bucket: "b") == nil)
        let accelerate = S3Stub(body: "<AccelerateConfiguration \(ns)/>")
        #expect(try await accelerate.s3.getBucketSubresource(.accelerate, bucket: "b") == nil)
        let versioning = S3Stub(body: "<VersioningConfiguration \(ns)/>")
        #expect(try await versioning.s3.getBucketSubresource(.versioning, bucket: "b") == nil)
        let versioned = S3Stub(body: "<VersioningConfiguration \(ns)><Status>Enabled</Status></VersioningConfiguration>")
        let enabled = try await versioned.s3.getBucketSubresource(.versioning, bucket: "b")
        #expect(enabled?.xml?.string("Status") == "Enabled")
    }

    @Test func wrongDocumentIsNeverTakenForAConfiguration() async throws {
        let listing = S3Stub(body: "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>")
        await expectMalformed("GetBucketRequestPayment") { try await listing.s3.getBucketRequestPayment(bucket: "b") }
        await expectMalformed("GetBucketLifecycleConfiguration") { try await listing.s3.getBucketSubresource(.lifecycle, bucket: "b") }
        let xmlPolicy = S3Stub(body: "<Policy/>")
        await expectMalformed("GetBucketPolicy") { try await xmlPolicy.s3.getBucketPolicy(bucket: "b") }
    }

    @Test func motoStyleRootsAreCapturedUnderTheRealRoot() async throws {
        let stub = S3Stub(
            body:
                "<?xml version=\"1.0\"?>\n<GetBucketAccelerateConfigurationResponse xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></GetBucketAccelerateConfigurationResponse>"
        )
        let captured = try #require(try await stub.s3.getBucketSubresource(.accelerate, bucket: "b"))
        #expect(
            captured.document
                == "<?xml version=\"1.0\"?>\n<AccelerateConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></AccelerateConfiguration>"
        )
    }

    @Test func lifecycleCaptureKeepsTheMinimumObjectSizeHeader() async throws {
        let stub = S3Stub { _ in
            .text(
                200, "<LifecycleConfiguration><Rule><ID>r</ID></Rule></LifecycleConfiguration>",
                headers: [("x-amz-transition-default-minimum-object-size", "varies_by_storage_class")])
        }
        let captured = try #require(try await stub.s3.getBucketSubresource(.lifecycle, bucket: "b"))
        #expect(captured.transitionDefaultMinimumObjectSize == "varies_by_storage_class")
    }

    @Test func headBucketReturnsRegionOrNilOn404AndThrowsOn403() async throws {
        let found = S3Stub { _ in .respond(status: 200, headers: [("x-amz-bucket-region", "eu-central-1")]) }
        #expect(try await found.s3.headBucket("b") == S3BucketHead(region: "eu-central-1"))
        #expect(found.last?.method == "HEAD")
        let missing = S3Stub { _ in .respond(status: 404) }
        #expect(try await missing.s3.headBucket("b") == nil)
        let forbidden = S3Stub { _ in .respond(status: 403) }
        do {
            _ = try await forbidden.s3.headBucket("b")
            Issue.record("403 must throw")
        } catch let error as AWSError {
            #expect(error.httpStatus == 403)
            #expect(error.operation == "HeadBucket")
        }
    }

    @Test func headObjectParsesHeadersAndSendsChecksumMode() async throws {
        let stub = S3Stub { _ in
            .respond(
                status: 200,
                headers: [
                    ("ETag", "\"e\""), ("x-amz-meta-owner", "a"), ("x-amz-checksum-sha256", "s="), ("x-amz-object-lock-legal-hold", "ON"),
                ],
                body: Data(count: 42))
        }
        let head = try #require(try await stub.s3.headObject(bucket: "b", key: "dir/k", versionId: "v1"))
        #expect(head.contentLength == 42)
        #expect(head.userMetadata == ["owner": "a"])
        #expect(head.checksums == ["SHA256": "s="])
        #expect(head.objectLockLegalHold == "ON")
        let request = try #require(stub.last)
        #expect(request.header("x-amz-checksum-mode") == "ENABLED")
        #expect(request.query == "versionId=v1")
        #expect(request.path == "/b/dir/k")
        let missing = S3Stub { _ in .respond(status: 404) }
        #expect(try await missing.s3.headObject(bucket: "b", key: "k") == nil)
        let badLock = S3Stub { _ in .respond(status: 200, headers: [("x-amz-object-lock-retain-until-date", "never")], body: Data(count: 1))
        }
        await expectMalformedWithoutRequestId("HeadObject") { try await badLock.s3.headObject(bucket: "b", key: "k") }
    }

    func expectMalformedWithoutRequestId<T>(_ operation: String, _ body: () async throws -> T) async {
        do {
            _ = try await body()
            Issue.record("expected MalformedResponse")
        } catch let error as AWSError {
            #expect(error.origin == .malformedResponse)
            #expect(error.operation == operation)
        } catch {
            Issue.record("expected AWSError, got \(error)")
        }
    }

    @Test func expectedBucketOwnerDefaultsAndOverridesButNotOnCreate() async throws {
        let stub = S3Stub(expectedBucketOwner: "123456789012") { _ in .text(200, "<LocationConstraint/>") }
        _ = try await stub.s3.getBucketLocation("b")
        #expect(stub.last?.header("x-amz-expected-bucket-owner") == "123456789012")
        _ = try await stub.s3.getBucketLocation("b", expectedBucketOwner: "999999999999")
        #expect(stub.last?.header("x-amz-expected-bucket-owner") == "999999999999")
        try await stub.s3.createBucket("b")
        #expect(stub.last?.header("x-amz-expected-bucket-owner") == nil)
        #expect(stub.last?.body.isEmpty == true)
        try await stub.s3.deleteBucket("b")
        #expect(stub.last?.header("x-amz-expected-bucket-owner") == "123456789012")
    }

    @Test func createBucketErrorsKeepTheirAWSCodes() async throws {
        for code in ["BucketAlreadyExists", "BucketAlreadyOwnedByYou", "OperationAborted"] {
            let stub = S3Stub(status: 409, body: S3Stub.s3Error(code))
            do {
                try await stub.s3.createBucket("taken", region: "eu-west-1")
                Issue.record("409 must throw")
            } catch let error as AWSError {
                #expect(error.code == code)
                #expect(error.httpStatus == 409)
                #expect(error.resource == "taken")
            }
        }
    }

    @Test func getObjectReturnsBodyAndMetadata() async throws {
        let stub = S3Stub { _ in .respond(status: 200, headers: [("x-amz-meta-a", "1"), ("ETag", "\"e\"")], body: Data("payload".utf8)) }
        let content = try await stub.s3.getObject(bucket: "b", key: "k")
        #expect(content.body == Data("payload".utf8))
        #expect(content.metadata.contentLength == 7)
        #expect(content.metadata.userMetadata == ["a": "1"])
    }

    @Test func paginatorFollowsTokensUntilTheLastPage() async throws {
        let stub = S3Stub { request in
            let query = request.query ?? ""
            if query.contains("continuation-token=t%2B1") {
                return .text(
                    200,
                    "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>b</Key><LastModified>2009-10-12T17:50:30Z</LastModified><Size>1</Size></Contents></ListBucketResult>"
                )
            }
            return .text(
                200,
                "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>t+1</NextContinuationToken><Contents><Key>a</Key><LastModified>2009-10-12T17:50:30Z</LastModified><Size>1</Size></Contents></ListBucketResult>"
            )
        }
        #expect(try await stub.s3.listAllObjects(bucket: "b").map(\.key) == ["a", "b"])
        #expect(stub.requests.count == 2)
        #expect(stub.requests.allSatisfy { ($0.query ?? "").contains("encoding-type=url") && ($0.query ?? "").contains("list-type=2") })
    }

    @Test func versionPaginatorPassesBothMarkers() async throws {
        let stub = S3Stub { request in
            if (request.query ?? "").contains("key-marker=k1") {
                #expect((request.query ?? "").contains("version-id-marker=v1"))
                return .text(200, "<ListVersionsResult><IsTruncated>false</IsTruncated></ListVersionsResult>")
            }
            return .text(
                200,
                "<ListVersionsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k1</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker></ListVersionsResult>"
            )
        }
        var pages = 0
        for try await _ in stub.s3.listObjectVersionsPages(bucket: "b") { pages += 1 }
        #expect(pages == 2)
    }

    @Test func deletingVersioningOrObjectLockSendsNothing() async throws {
        let stub = S3Stub(body: "")
        for subresource in [BucketSubresource.versioning, .objectLock] {
            await #expect(throws: S3RequestError.self) { try await stub.s3.deleteBucketSubresource(subresource, bucket: "b") }
        }
        #expect(stub.requests.isEmpty)
    }

    @Test func removalByPutSendsTheDefaultDocument() async throws {
        let stub = S3Stub(body: "")
        try await stub.s3.deleteBucketSubresource(.logging, bucket: "b")
        let request = try #require(stub.last)
        #expect(request.method == "PUT")
        #expect(String(decoding: request.body, as: UTF8.self) == "<BucketLoggingStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>")
        #expect(request.header("x-amz-checksum-crc32") != nil)
        try await stub.s3.deleteBucketSubresource(.cors, bucket: "b")
        #expect(stub.last?.method == "DELETE")
        #expect(stub.last?.query == "cors=")
    }
}
