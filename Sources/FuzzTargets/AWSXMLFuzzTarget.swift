import AWSClient
import AWSServices
import Foundation

/// Arbitrary bytes as the body of every XML response the S3 (REST-XML), RDS and STS (Query)
/// clients decode: once as a 200 answer to each operation, and once as an error document for
/// each protocol. Invariant: every call ends in a value or an `AWSError`.
enum AWSXMLFuzzTarget {
    static func run(_ data: Data) async {
        let ok = HTTPResponse(
            status: 200, headers: ["Content-Type": "application/xml", "x-amz-request-id": "fuzz"], body: data)
        let s3 = S3Client(client: CannedTransport.client(.s3, ok))
        let rds = RDSClient(client: CannedTransport.client(.rds, ok))
        let sts = STSClient(client: CannedTransport.client(.sts, ok))
        await decodeS3(s3)
        await decodeRDS(rds)
        await decodeSTS(sts)

        for (service, status) in [(AWSService.s3, 404), (.rds, 400), (.sts, 403), (.s3, 503)] {
            let failing = HTTPResponse(status: status, headers: ["Content-Type": "text/xml"], body: data)
            let decoded = AWSErrorDecoder.decode(failing, wireProtocol: service.wireProtocol)
            FuzzCheck.require(!decoded.code.isEmpty, "an error response decoded to an empty code")
        }
        await CannedTransport.expectAWSOutcome {
            try await STSClient(client: CannedTransport.client(.sts, HTTPResponse(status: 400, body: data))).getCallerIdentity()
        }
    }

    private static func decodeS3(_ s3: S3Client) async {
        await CannedTransport.expectAWSOutcome { try await s3.listObjectsV2(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.listObjectVersions(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.listMultipartUploads(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.getBucketLocation("b") }
        await CannedTransport.expectAWSOutcome { try await s3.getBucketVersioning(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.getBucketTagging(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.getPublicAccessBlock(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.getBucketOwnershipControls(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.getBucketAccelerate(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.getBucketRequestPayment(bucket: "b") }
        await CannedTransport.expectAWSOutcome { try await s3.getObjectAttributes(bucket: "b", key: "k") }
        await CannedTransport.expectAWSOutcome { try await s3.getObjectTagging(bucket: "b", key: "k") }
        await CannedTransport.expectAWSOutcome {
            try await s3.deleteObjects(bucket: "b", objects: [S3ObjectIdentifier(key: "k")])
        }
        await CannedTransport.expectAWSOutcome {
            try await s3.copyObject(S3CopyObjectRequest(sourceBucket: "a", sourceKey: "k", bucket: "b", key: "k"))
        }
        await CannedTransport.expectAWSOutcome { try await s3.createMultipartUpload(bucket: "b", key: "k") }
        await CannedTransport.expectAWSOutcome {
            try await s3.completeMultipartUpload(bucket: "b", key: "k", uploadId: "u", parts: [])
        }
    }

    private static func decodeRDS(_ rds: RDSClient) async {
        await CannedTransport.expectAWSOutcome { try await rds.describeDBInstances() }
        await CannedTransport.expectAWSOutcome { try await rds.describeDBClusters() }
        await CannedTransport.expectAWSOutcome { try await rds.describeDBSnapshots(DescribeDBSnapshotsRequest()) }
        await CannedTransport.expectAWSOutcome {
            try await rds.describeDBClusterSnapshots(DescribeDBClusterSnapshotsRequest())
        }
        await CannedTransport.expectAWSOutcome { try await rds.describeDBClusterSnapshotAttributes(snapshotIdentifier: "s") }
        await CannedTransport.expectAWSOutcome { try await rds.addTagsToResource(resourceArn: "arn:aws:rds:x", tags: ["k": "v"]) }
    }

    private static func decodeSTS(_ sts: STSClient) async {
        await CannedTransport.expectAWSOutcome { try await sts.getCallerIdentity() }
        await CannedTransport.expectAWSOutcome {
            try await sts.assumeRole(AssumeRoleRequest(roleArn: "arn:aws:iam::111111111111:role/r", roleSessionName: "s"))
        }
    }
}
