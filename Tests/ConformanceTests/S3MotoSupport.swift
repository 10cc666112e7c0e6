import AWSServices
import Foundation
import TestSupport
import Testing

/// Account A's and account B's S3 clients against the moto fixture, and bucket housekeeping.
struct S3Moto {
    let fixture: MotoFixture
    let a: S3Client
    let b: S3Client
    let credentialsB: AWSCredentials

    init() async throws {
        fixture = try MotoFixture.load()
        a = S3Client(client: fixture.clientA(.s3))
        credentialsB = try await fixture.assumeRoleB()
        b = S3Client(client: fixture.client(.s3, credentials: StaticCredentialProvider(credentialsB), account: fixture.accountB))
    }

    /// Account B's client signing for another region (moto decides the us-east-1 legacy
    /// behaviour by the signing region).
    func b(in region: String) -> S3Client {
        S3Client(
            client: AWSClient(
                service: .s3, region: region, credentials: StaticCredentialProvider(credentialsB),
                endpoints: EndpointResolver(overrideURL: fixture.endpoint), retry: .disabled, account: fixture.accountB))
    }

    /// Creates a uniquely named bucket owned by `owner`'s account.
    func bucket(_ owner: S3Client, _ prefix: String, region: String? = nil, objectLock: Bool = false) async throws -> String {
        let name = MotoFixture.uniqueName("cutover-\(prefix)")
        try await owner.createBucket(name, region: region, objectLockEnabled: objectLock)
        return name
    }

    /// Empties (every version, delete marker and upload) and deletes a bucket, as its owner.
    /// Never call it with a client of another account: a cross-account DeleteBucket on an empty
    /// bucket corrupts moto's name registry (MOTO-NOTES §2).
    func destroy(_ owner: S3Client, _ bucket: String) async throws {
        for try await page in owner.listMultipartUploadsPages(bucket: bucket) {
            for upload in page.uploads {
                try await owner.abortMultipartUpload(bucket: bucket, key: upload.key, uploadId: upload.uploadId)
            }
        }
        while true {
            let page = try await owner.listObjectVersions(bucket: bucket, maxKeys: 1_000)
            let ids = page.identifiers
            if ids.isEmpty { break }
            let result = try await owner.deleteObjects(bucket: bucket, objects: ids, quiet: true, bypassGovernanceRetention: true)
            #expect(result.errors.isEmpty, "cleanup of \(bucket) failed for \(result.errors)")
            if !result.errors.isEmpty { return }
        }
        try await owner.deleteBucket(bucket)
    }
}

/// Runs `body`, expecting an `AWSError` with `code`; returns it for further checks.
@discardableResult
func expectAWSError<T>(
    _ code: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async -> AWSError? {
    do {
        let value = try await body()
        Issue.record("expected AWSError \(code), got success: \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as AWSError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected AWSError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
