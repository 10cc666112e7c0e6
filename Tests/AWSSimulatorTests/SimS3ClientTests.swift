import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// The same-name bucket move once more, through our own `S3Client`, signed, over
/// `Simulator.handle` (authentication and request log included): what the simulator answers is
/// what the product's client sends and reads.
@Suite("SimS3: our S3Client against the simulator")
struct SimS3ClientTests {
    static let legacy = "111111111111"
    static let product = "222222222222"

    struct World {
        let simulator: Simulator
        let clock: VirtualClock
        let legacy: S3Client
        let product: S3Client

        init() throws {
            let clock = VirtualClock()
            self.clock = clock
            simulator = Simulator(configuration: SimConfiguration(region: "us-east-1", bucketNameHold: 3600), clock: clock)
            try simulator.addAccount(id: SimS3ClientTests.legacy, name: "legacy")
            try simulator.addAccount(id: SimS3ClientTests.product, name: "product")
            let keyA = try simulator.addUser(account: SimS3ClientTests.legacy, name: "alice")
            let keyB = try simulator.addUser(account: SimS3ClientTests.product, name: "bob")
            let transport = SimulatorTransport(simulator)
            func client(_ key: SimAccessKey) -> S3Client {
                S3Client(
                    client: AWSClient(
                        service: .s3, region: "us-east-1",
                        credentials: StaticCredentialProvider(
                            AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey)),
                        transport: transport, retry: .init(maxAttempts: 1), account: key.account, now: { clock.now() }, sleep: { _ in }))
            }
            legacy = client(keyA)
            product = client(keyB)
        }
    }

    @Test func sameNameMoveThroughTheProductClient() async throws {
        let world = try World()
        let name = "popinfo-assets"
        try await world.legacy.createBucket(name)
        let body = Data("hello".utf8)
        let written = try await world.legacy.putObject(
            bucket: name, key: "docs/a.txt", body: body,
            options: S3WriteOptions(contentType: "text/plain", userMetadata: ["origin": "legacy"], tags: [S3Tag(key: "team", value: "web")])
        )
        #expect(written.checksums["SHA256"] != nil)

        // The product account copies out through a staging bucket, allowed by the bucket policy.
        try await world.product.createBucket("popinfo-assets-staging")
        await #expect(throws: AWSError.self) {
            try await world.product.copyObject(
                S3CopyObjectRequest(sourceBucket: name, sourceKey: "docs/a.txt", bucket: "popinfo-assets-staging", key: "docs/a.txt"))
        }
        let policy = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(Self.product):root"},\
            "Action":["s3:GetObject","s3:ListBucket","s3:GetObjectTagging"],"Resource":["arn:aws:s3:::\(name)","arn:aws:s3:::\(name)/*"]}]}
            """
        try await world.legacy.putBucketSubresource(BucketSubresourceDocument(subresource: .policy, document: policy), bucket: name)
        let copied = try await world.product.copyObject(
            S3CopyObjectRequest(
                sourceBucket: name, sourceKey: "docs/a.txt", bucket: "popinfo-assets-staging", key: "docs/a.txt",
                expectedSourceBucketOwner: Self.legacy))
        #expect(copied.eTag == written.eTag)
        let staged = try await world.product.getObject(bucket: "popinfo-assets-staging", key: "docs/a.txt", checksumMode: true)
        #expect(staged.body == body)
        #expect(staged.metadata.userMetadata["origin"] == "legacy")
        #expect(
            try await world.product.getObjectTagging(bucket: "popinfo-assets-staging", key: "docs/a.txt") == [
                S3Tag(key: "team", value: "web")
            ])
        let listing = try await world.product.listAllObjects(bucket: name)
        #expect(listing.map(\.key) == ["docs/a.txt"])

        // The legacy account empties and deletes; the name is then held.
        let versions = try await world.legacy.listObjectVersions(bucket: name)
        let deleted = try await world.legacy.deleteObjects(bucket: name, objects: versions.identifiers)
        #expect(deleted.errors.isEmpty)
        try await world.legacy.deleteBucket(name)
        #expect(try await world.product.headBucket(name) == nil)
        await #expect { try await world.product.createBucket(name) } throws: { error in
            (error as? AWSError)?.code == "OperationAborted" && (error as? AWSError)?.httpStatus == 409
        }

        // After the hold the product account takes the name, and guards every call with it.
        world.clock.advance(by: 3600)
        try await world.product.createBucket(name)
        let guarded = world.product.expecting(owner: Self.product)
        #expect(try await guarded.headBucket(name)?.region == "us-east-1")
        await #expect { try await world.product.expecting(owner: Self.legacy).headBucket(name) } throws: { error in
            (error as? AWSError)?.httpStatus == 403
        }
        #expect(world.simulator.requests { $0.operation == "DeleteBucket" && $0.status == 204 }.count == 1)
        #expect(world.simulator.requests { $0.operation == "CreateBucket" && $0.errorCode == "OperationAborted" }.count == 1)
        #expect(world.simulator.bucket(name)?.owner == Self.product)
    }

    @Test func subresourcesCaptureAndRestoreThroughTheClient() async throws {
        let world = try World()
        try await world.legacy.createBucket("configured")
        #expect(try await world.legacy.getBucketSubresource(.cors, bucket: "configured") == nil)
        #expect(try await world.legacy.getBucketSubresource(.versioning, bucket: "configured") == nil)
        #expect(try await world.legacy.getBucketSubresource(.requestPayment, bucket: "configured") != nil)
        let cors = BucketSubresourceDocument(
            subresource: .cors,
            document:
                "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>"
        )
        try await world.legacy.putBucketSubresource(cors, bucket: "configured")
        #expect(try await world.legacy.getBucketSubresource(.cors, bucket: "configured")?.document == cors.document)
        try await world.legacy.deleteBucketSubresource(.cors, bucket: "configured")
        #expect(try await world.legacy.getBucketSubresource(.cors, bucket: "configured") == nil)
        for subresource in BucketSubresource.allCases {
            _ = try await world.legacy.getBucketSubresource(subresource, bucket: "configured")
        }
    }
}
