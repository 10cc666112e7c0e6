import Foundation
import Testing

@testable import AWSServices

/// Responses decoded from AWS's documented sample shapes.
@Suite struct S3ResponseDecodingTests {
    static func xml(_ text: String) throws -> XMLNode { try XMLNode.parse(Data(text.utf8)) }

    @Test func listObjectsV2PageWithContinuationAndURLEncodedKeys() throws {
        let page = try S3ObjectListing(
            xml: Self.xml(
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Name>bucket</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
                  <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
                  <Contents><Key>dir/my+file%2Bplus%26.txt</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
                    <ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag><ChecksumAlgorithm>SHA256</ChecksumAlgorithm>
                    <ChecksumType>FULL_OBJECT</ChecksumType><Size>434234</Size><StorageClass>STANDARD_IA</StorageClass>
                    <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>webfile</DisplayName></Owner>
                  </Contents>
                  <Contents><Key>%C3%BC</Key><LastModified>2009-10-12T17:50:30Z</LastModified><ETag>"x"</ETag><Size>0</Size></Contents>
                  <CommonPrefixes><Prefix>logs%2F</Prefix></CommonPrefixes>
                  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
                </ListBucketResult>
                """))
        #expect(page.objects.map(\.key) == ["dir/my file+plus&.txt", "ü"])
        #expect(page.objects[0].eTag == "\"fba9dede5f27731c9771645a39863328\"")
        #expect(page.objects[0].size == 434_234)
        #expect(page.objects[0].storageClass == "STANDARD_IA")
        #expect(page.objects[0].checksumAlgorithms == ["SHA256"])
        #expect(page.objects[0].checksumType == "FULL_OBJECT")
        #expect(page.objects[0].owner?.displayName == "webfile")
        #expect(page.objects[0].lastModified == Date(timeIntervalSince1970: 1_255_369_830))
        #expect(page.objects[1].storageClass == "STANDARD")
        #expect(page.commonPrefixes == ["logs/"])
        #expect(page.isTruncated)
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        #expect(page.keyCount == 2)
    }

    @Test func lastPageHasNoToken() throws {
        let page = try S3ObjectListing(
            xml: Self.xml("<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>"))
        #expect(page.objects.isEmpty)
        #expect(!page.isTruncated)
        #expect(page.nextContinuationToken == nil)
    }

    @Test func truncatedPageWithoutTokenIsRejected() {
        #expect(throws: XMLDecodeError.self) {
            try S3ObjectListing(xml: Self.xml("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"))
        }
        #expect(throws: XMLDecodeError.self) {
            try S3VersionListing(xml: Self.xml("<ListVersionsResult><IsTruncated>true</IsTruncated></ListVersionsResult>"))
        }
    }

    @Test func listObjectVersionsWithDeleteMarkersAndMarkers() throws {
        let page = try S3VersionListing(
            xml: Self.xml(
                """
                <ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Name>bucket</Name><Prefix>my</Prefix><KeyMarker/><VersionIdMarker/><MaxKeys>5</MaxKeys>
                  <IsTruncated>true</IsTruncated><NextKeyMarker>my-second-image.jpg</NextKeyMarker>
                  <NextVersionIdMarker>03jpff543dhffds434rfdsFDN943fdsFkdmqnh892</NextVersionIdMarker>
                  <DeleteMarker><Key>my-image.jpg</Key><VersionId>03jpff543dhffds434rfdsFDN943fdsFkdmqnh892</VersionId>
                    <IsLatest>true</IsLatest><LastModified>2009-10-15T17:50:30.000Z</LastModified>
                    <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner></DeleteMarker>
                  <Version><Key>my-image.jpg</Key><VersionId>3/L4kqtJl40Nr8X8gdRQBpUMLUo</VersionId><IsLatest>false</IsLatest>
                    <LastModified>2009-10-10T17:50:30.000Z</LastModified><ETag>&quot;fba9dede5f27731c9771645a39863328&quot;</ETag>
                    <Size>434234</Size><StorageClass>STANDARD</StorageClass></Version>
                  <Version><Key>my-second-image.jpg</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>
                    <LastModified>2009-10-10T17:50:30.000Z</LastModified><ETag>"x"</ETag><Size>1</Size><StorageClass>GLACIER</StorageClass></Version>
                </ListVersionsResult>
                """))
        #expect(page.deleteMarkers.count == 1)
        #expect(page.deleteMarkers[0].isDeleteMarker)
        #expect(page.deleteMarkers[0].isLatest)
        #expect(page.deleteMarkers[0].size == nil)
        #expect(page.versions.map(\.versionId) == ["3/L4kqtJl40Nr8X8gdRQBpUMLUo", "null"])
        #expect(page.versions[0].size == 434_234)
        #expect(!page.versions[0].isDeleteMarker)
        #expect(page.nextKeyMarker == "my-second-image.jpg")
        #expect(page.nextVersionIdMarker == "03jpff543dhffds434rfdsFDN943fdsFkdmqnh892")
        #expect(page.identifiers.count == 3)
        #expect(page.identifiers.contains(S3ObjectIdentifier(key: "my-image.jpg", versionId: "03jpff543dhffds434rfdsFDN943fdsFkdmqnh892")))
    }

    @Test func listMultipartUploads() throws {
        let page = try S3UploadListing(
            xml: Self.xml(
                """
                <ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>false</IsTruncated>
                <Upload><Key>my-movie.m2ts</Key><UploadId>VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
                <Initiated>2010-11-10T20:48:33.000Z</Initiated><StorageClass>STANDARD</StorageClass><ChecksumAlgorithm>SHA256</ChecksumAlgorithm></Upload>
                </ListMultipartUploadsResult>
                """))
        #expect(page.uploads.map(\.key) == ["my-movie.m2ts"])
        #expect(page.uploads[0].checksumAlgorithm == "SHA256")
        #expect(page.uploads[0].initiated != nil)
        #expect(page.nextKeyMarker == nil)
    }

    @Test func copyObjectResultWithChecksum() throws {
        var headers = HTTPHeaders()
        headers.add("x-amz-version-id", "new-v")
        headers.add("x-amz-copy-source-version-id", "old-v")
        let result = try S3CopyResult(
            xml: Self.xml(
                """
                <CopyObjectResult><LastModified>2009-10-28T22:32:00.000Z</LastModified>
                <ETag>"9b2cf535f27731c974343645a3985328"</ETag><ChecksumSHA256>abc=</ChecksumSHA256></CopyObjectResult>
                """), root: "CopyObjectResult", headers: headers, requestId: "R")
        #expect(result.eTag == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(result.checksums == ["SHA256": "abc="])
        #expect(result.versionId == "new-v")
        #expect(result.sourceVersionId == "old-v")
        #expect(result.requestId == "R")
        #expect(throws: XMLDecodeError.self) {
            try S3CopyResult(
                xml: Self.xml("<CopyObjectResult><LastModified>2009-10-28T22:32:00.000Z</LastModified></CopyObjectResult>"),
                root: "CopyObjectResult", headers: [:], requestId: nil)
        }
    }

    @Test func deleteResultWithDeletedMarkersAndErrors() throws {
        let result = try S3DeleteResult(
            xml: Self.xml(
                """
                <DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Deleted><Key>sample1.txt</Key></Deleted>
                  <Deleted><Key>m</Key><VersionId>dm1</VersionId><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>dm1</DeleteMarkerVersionId></Deleted>
                  <Error><Key>sample2.txt</Key><VersionId>v2</VersionId><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
                </DeleteResult>
                """), requestId: "R")
        #expect(result.deleted.map(\.key) == ["sample1.txt", "m"])
        #expect(result.deleted[1].deleteMarker)
        #expect(result.deleted[1].deleteMarkerVersionId == "dm1")
        #expect(
            result.errors == [S3DeleteResult.Failure(key: "sample2.txt", versionId: "v2", code: "AccessDenied", message: "Access Denied")])
    }

    @Test func objectAttributesWithParts() throws {
        let attributes = try S3ObjectAttributes(
            xml: Self.xml(
                """
                <GetObjectAttributesResponse><ETag>abc-2</ETag>
                <Checksum><ChecksumSHA256>cc=</ChecksumSHA256><ChecksumType>COMPOSITE</ChecksumType></Checksum>
                <ObjectParts><TotalPartsCount>2</TotalPartsCount><IsTruncated>false</IsTruncated>
                <Part><PartNumber>1</PartNumber><Size>5242880</Size><ChecksumSHA256>p1=</ChecksumSHA256></Part>
                <Part><PartNumber>2</PartNumber><Size>10</Size></Part></ObjectParts>
                <StorageClass>STANDARD</StorageClass><ObjectSize>5242890</ObjectSize></GetObjectAttributesResponse>
                """), versionId: "v")
        #expect(attributes.eTag == "abc-2")
        #expect(attributes.checksums == ["SHA256": "cc="])
        #expect(attributes.checksumType == "COMPOSITE")
        #expect(attributes.totalPartsCount == 2)
        #expect(attributes.parts.map(\.partNumber) == [1, 2])
        #expect(attributes.parts[0].checksums == ["SHA256": "p1="])
        #expect(attributes.objectSize == 5_242_890)
        #expect(attributes.versionId == "v")
    }

    @Test func bucketLocationNormalisesEmptyAndEU() throws {
        #expect(
            try S3Client.decodeBucketLocation(Self.xml("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"))
                == "us-east-1")
        #expect(try S3Client.decodeBucketLocation(Self.xml("<LocationConstraint>EU</LocationConstraint>")) == "eu-west-1")
        #expect(try S3Client.decodeBucketLocation(Self.xml("<LocationConstraint>ap-south-2</LocationConstraint>")) == "ap-south-2")
        #expect(throws: XMLDecodeError.self) { try S3Client.decodeBucketLocation(Self.xml("<ListBucketResult/>")) }
    }

    @Test func objectMetadataFromHeaders() throws {
        let headers = HTTPHeaders([
            ("Content-Length", "434234"), ("ETag", "\"e\""), ("Last-Modified", "Wed, 12 Oct 2009 17:50:00 GMT"),
            ("x-amz-version-id", "v1"), ("X-Amz-Meta-Owner", "team"), ("x-amz-meta-purpose", "test"), ("Content-Type", "text/plain"),
            ("x-amz-storage-class", "GLACIER_IR"), ("x-amz-server-side-encryption", "aws:kms"),
            ("x-amz-server-side-encryption-aws-kms-key-id", "arn:k"), ("x-amz-server-side-encryption-bucket-key-enabled", "true"),
            ("x-amz-checksum-sha256", "s="), ("x-amz-checksum-type", "FULL_OBJECT"), ("x-amz-object-lock-mode", "COMPLIANCE"),
            ("x-amz-object-lock-retain-until-date", "2030-01-01T00:00:00.000Z"), ("x-amz-object-lock-legal-hold", "ON"),
            ("x-amz-mp-parts-count", "3"), ("x-amz-tagging-count", "2"),
        ])
        let metadata = try S3ObjectMetadata(headers: headers)
        #expect(metadata.contentLength == 434_234)
        #expect(metadata.userMetadata == ["owner": "team", "purpose": "test"])
        #expect(metadata.lastModified == Date(timeIntervalSince1970: 1_255_369_800))
        #expect(metadata.storageClass == "GLACIER_IR")
        #expect(metadata.sseKMSKeyId == "arn:k")
        #expect(metadata.bucketKeyEnabled)
        #expect(metadata.checksums == ["SHA256": "s="])
        #expect(metadata.checksumType == "FULL_OBJECT")
        #expect(metadata.objectLockMode == "COMPLIANCE")
        #expect(metadata.objectLockRetainUntil == Date(timeIntervalSince1970: 1_893_456_000))
        #expect(metadata.objectLockLegalHold == "ON")
        #expect(metadata.partsCount == 3)
        #expect(metadata.tagCount == 2)
        #expect(metadata.versionId == "v1")
        let plain = try S3ObjectMetadata(headers: HTTPHeaders([("Content-Length", "0"), ("x-amz-version-id", "null")]))
        #expect(plain.storageClass == "STANDARD")
        #expect(plain.versionId == nil)
        #expect(throws: XMLDecodeError.self) { try S3ObjectMetadata(headers: HTTPHeaders([("ETag", "x")])) }
        #expect(throws: XMLDecodeError.self) {
            try S3ObjectMetadata(headers: HTTPHeaders([("Content-Length", "1"), ("x-amz-object-lock-retain-until-date", "soon")]))
        }
    }

    @Test func versioningReadsAWSAndMotoRoots() throws {
        let aws = try S3VersioningConfiguration(
            xml: Self.xml("<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>"))
        #expect(aws.isEnabled && aws.isMFADeleteEnabled)
        let moto = try S3VersioningConfiguration(xml: Self.xml("<GetBucketVersioningResponse/>"))
        #expect(moto.status == nil)
        #expect(throws: XMLDecodeError.self) { try S3VersioningConfiguration(xml: Self.xml("<ListBucketResult/>")) }
    }

    @Test func tagSetAndPublicAccessBlock() throws {
        #expect(
            try S3Tag.decodeTagging(
                Self.xml("<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value/></Tag></TagSet></Tagging>"))
                == [S3Tag(key: "a", value: "1"), S3Tag(key: "b", value: "")])
        #expect(throws: XMLDecodeError.self) { try S3Tag.decodeTagging(Self.xml("<Tagging/>")) }
        let block = try S3PublicAccessBlock(
            xml: Self.xml("<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>"))
        #expect(
            block
                == S3PublicAccessBlock(
                    blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false))
        #expect(throws: XMLDecodeError.self) {
            try S3PublicAccessBlock(
                xml: Self.xml("<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>"))
        }
    }
}
