import Foundation
import Testing

@testable import AWSServices

/// The request documents and headers S3Client builds, byte for byte where S3 cares.
@Suite struct S3RequestEncodingTests {
    static let ns = "http://s3.amazonaws.com/doc/2006-03-01/"
    let s3 = S3Client(
        client: AWSClient(
            service: .s3, region: "eu-west-1",
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret"))))

    @Test func createBucketSendsNoBodyInUsEast1() {
        let request = S3Client.createBucketRequest("b", region: "us-east-1", objectLockEnabled: false, objectOwnership: nil)
        #expect(request.body.isEmpty)
        #expect(request.method == "PUT")
        #expect(request.bucket == "b")
        #expect(!request.headers.contains("x-amz-bucket-object-lock-enabled"))
    }

    @Test func createBucketSendsLocationConstraintElsewhereWithLockAndOwnership() {
        let request = S3Client.createBucketRequest(
            "b", region: "eu-west-1", objectLockEnabled: true, objectOwnership: "BucketOwnerEnforced")
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CreateBucketConfiguration xmlns=\"\(Self.ns)\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"
        )
        #expect(request.headers["x-amz-bucket-object-lock-enabled"] == "true")
        #expect(request.headers["x-amz-object-ownership"] == "BucketOwnerEnforced")
    }

    @Test func deleteDocumentListsKeysVersionsAndQuietWithEscaping() throws {
        let request = try s3.deleteObjectsRequest(
            bucket: "b", objects: [S3ObjectIdentifier(key: "a&b<c>"), S3ObjectIdentifier(key: "k", versionId: "v1")], quiet: true,
            bypassGovernanceRetention: true, mfa: nil, expectedBucketOwner: "123456789012")
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(
            body
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"\(Self.ns)\"><Object><Key>a&amp;b&lt;c&gt;</Key></Object><Object><Key>k</Key><VersionId>v1</VersionId></Object><Quiet>true</Quiet></Delete>"
        )
        #expect(request.query.map(\.name) == ["delete"])
        #expect(request.method == "POST")
        // S3 requires an integrity header on DeleteObjects; we send botocore's CRC32.
        #expect(request.headers["x-amz-sdk-checksum-algorithm"] == "CRC32")
        #expect(request.headers["x-amz-checksum-crc32"] == S3Checksum.crc32Base64(request.body))
        #expect(request.headers["x-amz-bypass-governance-retention"] == "true")
        #expect(request.headers["x-amz-expected-bucket-owner"] == "123456789012")
    }

    @Test func deleteObjectsRefusesMoreThanAThousandKeysAndNone() {
        let many = (0...1_000).map { S3ObjectIdentifier(key: "k\($0)") }
        #expect(throws: S3RequestError.self) {
            try s3.deleteObjectsRequest(
                bucket: "b", objects: many, quiet: false, bypassGovernanceRetention: false, mfa: nil, expectedBucketOwner: nil)
        }
        do {
            _ = try s3.deleteObjectsRequest(
                bucket: "b", objects: many, quiet: false, bypassGovernanceRetention: false, mfa: nil, expectedBucketOwner: nil)
        } catch let error as S3RequestError {
            #expect(error.code == .tooManyKeys)
            #expect(error.message.contains("1001"))
            #expect(error.operation == "DeleteObjects")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: S3RequestError.self) {
            try s3.deleteObjectsRequest(
                bucket: "b", objects: [], quiet: false, bypassGovernanceRetention: false, mfa: nil, expectedBucketOwner: nil)
        }
        #expect(throws: Never.self) {
            try s3.deleteObjectsRequest(
                bucket: "b", objects: Array(many.prefix(1_000)), quiet: false, bypassGovernanceRetention: false, mfa: nil,
                expectedBucketOwner: nil)
        }
    }

    @Test func completeDocumentSortsPartsAndCarriesChecksums() {
        let request = s3.completeMultipartUploadRequest(
            bucket: "b", key: "big", uploadId: "u/1",
            parts: [
                S3CompletedPart(partNumber: 2, eTag: "\"e2\""), S3CompletedPart(partNumber: 1, eTag: "\"e1\"", checksums: ["SHA256": "c1"]),
            ],
            expectedBucketOwner: nil)
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload xmlns=\"\(Self.ns)\"><Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag><ChecksumSHA256>c1</ChecksumSHA256></Part><Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag></Part></CompleteMultipartUpload>"
        )
        #expect(request.errorMayHideIn200)
        #expect(request.query.first { $0.name == "uploadId" }?.value == "u/1")
    }

    @Test func taggingDocumentAndHeaderEncodeTags() {
        let tags = [S3Tag(key: "env", value: "prod"), S3Tag(key: "cost center", value: "a/b=c&d")]
        #expect(
            S3Tag.taggingDocument(tags).document
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Tagging xmlns=\"\(Self.ns)\"><TagSet><Tag><Key>env</Key><Value>prod</Value></Tag><Tag><Key>cost center</Key><Value>a/b=c&amp;d</Value></Tag></TagSet></Tagging>"
        )
        #expect(S3Tag.headerValue(tags) == "env=prod&cost%20center=a%2Fb%3Dc%26d")
    }

    @Test func versioningAndPublicAccessBlockDocuments() {
        #expect(
            S3VersioningConfiguration(status: "Enabled").document
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><VersioningConfiguration xmlns=\"\(Self.ns)\"><Status>Enabled</Status></VersioningConfiguration>"
        )
        #expect(
            S3VersioningConfiguration(status: "Suspended", mfaDelete: "Disabled").document
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><VersioningConfiguration xmlns=\"\(Self.ns)\"><MfaDelete>Disabled</MfaDelete><Status>Suspended</Status></VersioningConfiguration>"
        )
        #expect(
            S3PublicAccessBlock(blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false)
                .document
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?><PublicAccessBlockConfiguration xmlns=\"\(Self.ns)\"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>"
        )
    }

    @Test func copySourceIsPercentEncodedWithSlashesKeptAndVersion() {
        #expect(S3CopyObjectRequest.copySource(bucket: "src", key: "a b/ü+c?d", versionId: nil) == "src/a%20b/%C3%BC%2Bc%3Fd")
        #expect(S3CopyObjectRequest.copySource(bucket: "src", key: "k", versionId: "3/L4kqtJl+cR") == "src/k?versionId=3%2FL4kqtJl%2BcR")
    }

    @Test func objectPathEncodesKeysForTheWire() {
        #expect(S3Client.objectPath("dir/sub dir/ключ+&=.txt") == "/dir/sub%20dir/%D0%BA%D0%BB%D1%8E%D1%87%2B%26%3D.txt")
        #expect(S3Client.objectPath("~a-b_c.d") == "/~a-b_c.d")
    }

    @Test func copyRequestSendsDirectivesAndOnlyWhatTheyAllow() {
        let copy = S3CopyObjectRequest(
            sourceBucket: "src", sourceKey: "k", sourceVersionId: "v1", bucket: "dst", key: "k",
            options: S3WriteOptions(
                contentType: "text/plain", userMetadata: ["a": "1"], tags: [S3Tag(key: "t", value: "1")], storageClass: "GLACIER_IR",
                serverSideEncryption: "aws:kms", sseKMSKeyId: "arn:key"),
            checksumAlgorithm: "SHA256", expectedSourceBucketOwner: "111111111111", expectedBucketOwner: "222222222222")
        let request = s3.copyObjectRequest(copy)
        #expect(request.headers["x-amz-copy-source"] == "src/k?versionId=v1")
        #expect(request.headers["x-amz-metadata-directive"] == "COPY")
        #expect(request.headers["x-amz-tagging-directive"] == "COPY")
        // COPY directives: neither content headers, metadata nor tags go on the wire.
        #expect(request.headers["Content-Type"] == nil)
        #expect(request.headers["x-amz-meta-a"] == nil)
        #expect(request.headers["x-amz-tagging"] == nil)
        #expect(request.headers["x-amz-storage-class"] == "GLACIER_IR")
        #expect(request.headers["x-amz-server-side-encryption-aws-kms-key-id"] == "arn:key")
        #expect(request.headers["x-amz-checksum-algorithm"] == "SHA256")
        #expect(request.headers["x-amz-source-expected-bucket-owner"] == "111111111111")
        #expect(request.headers["x-amz-expected-bucket-owner"] == "222222222222")
        #expect(request.errorMayHideIn200)

        var replace = copy
        replace.metadataDirective = .replace
        replace.taggingDirective = .replace
        let replaced = s3.copyObjectRequest(replace)
        #expect(replaced.headers["Content-Type"] == "text/plain")
        #expect(replaced.headers["x-amz-meta-a"] == "1")
        #expect(replaced.headers["x-amz-tagging"] == "t=1")
    }

    @Test func putObjectSendsSHA256ChecksumMetadataAndLockHeaders() {
        let until = Date(timeIntervalSince1970: 1_800_000_000)
        let request = s3.putObjectRequest(
            bucket: "b", key: "k", body: Data("hello".utf8),
            options: S3WriteOptions(
                userMetadata: ["Owner": "x"], objectLockMode: "GOVERNANCE", objectLockRetainUntil: until, objectLockLegalHold: "ON"),
            checksumSHA256: true, ifNoneMatch: "*", expectedBucketOwner: nil)
        #expect(request.headers["x-amz-checksum-sha256"] == "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
        #expect(request.headers["x-amz-sdk-checksum-algorithm"] == "SHA256")
        #expect(request.headers["x-amz-meta-Owner"] == "x")
        #expect(request.headers["x-amz-object-lock-mode"] == "GOVERNANCE")
        #expect(request.headers["x-amz-object-lock-retain-until-date"] == "2027-01-15T08:00:00.000Z")
        #expect(request.headers["x-amz-object-lock-legal-hold"] == "ON")
        #expect(request.headers["If-None-Match"] == "*")
    }

    @Test func checksumsMatchKnownVectors() {
        #expect(S3Checksum.crc32(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(S3Checksum.crc32Base64(Data()) == "AAAAAA==")
        #expect(S3Checksum.sha256Base64(Data()) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    @Test func subresourcePutCarriesChecksumContentTypeAndLifecycleHeader() {
        let document = BucketSubresourceDocument(
            subresource: .lifecycle, document: "<LifecycleConfiguration/>", transitionDefaultMinimumObjectSize: "all_storage_classes_128K")
        let request = s3.putSubresourceRequest(document, bucket: "b", mfa: nil, expectedBucketOwner: nil)
        #expect(request.operation == "PutBucketLifecycleConfiguration")
        #expect(request.query.map(\.name) == ["lifecycle"])
        #expect(request.headers["x-amz-checksum-crc32"] == S3Checksum.crc32Base64(Data("<LifecycleConfiguration/>".utf8)))
        #expect(request.headers["x-amz-transition-default-minimum-object-size"] == "all_storage_classes_128K")
        #expect(request.headers["Content-Type"] == "application/xml")
        let policy = s3.putSubresourceRequest(
            BucketSubresourceDocument(subresource: .policy, document: "{}"), bucket: "b", mfa: nil, expectedBucketOwner: nil)
        #expect(policy.headers["Content-Type"] == "application/json")
        #expect(policy.operation == "PutBucketPolicy")
    }

    @Test func everySubresourceHasQueryNameAndRemovalRule() {
        #expect(BucketSubresource.objectLock.queryName == "object-lock")
        #expect(BucketSubresource.publicAccessBlock.queryName == "publicAccessBlock")
        #expect(BucketSubresource.versioning.removal == .impossible)
        #expect(BucketSubresource.cors.removal == .delete)
        for subresource in BucketSubresource.allCases where subresource.removal == .delete {
            #expect(!subresource.notConfiguredCodes.isEmpty, "\(subresource) has a 404 code")
        }
    }

    @Test func rootRenamingKeepsEverythingElse() {
        #expect(
            S3Client.renamingRoot(
                of:
                    "<?xml version=\"1.0\"?>\n<GetBucketVersioningResponse xmlns=\"x\"><Status>Enabled</Status></GetBucketVersioningResponse>",
                from: "GetBucketVersioningResponse", to: "VersioningConfiguration")
                == "<?xml version=\"1.0\"?>\n<VersioningConfiguration xmlns=\"x\"><Status>Enabled</Status></VersioningConfiguration>")
        #expect(S3Client.renamingRoot(of: "<A xmlns=\"x\"/>", from: "A", to: "B") == "<B xmlns=\"x\"/>")
        #expect(S3Client.renamingRoot(of: "<C/>", from: "A", to: "B") == nil)
    }
}
