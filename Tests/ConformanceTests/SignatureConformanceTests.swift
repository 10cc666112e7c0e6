import AWSServices
import Foundation
import TestSupport
import Testing

/// Proves moto really checks our SigV4 signatures (so every other conformance test is a signing
/// test too): a wrong secret and an unknown key are refused with AWS's codes, the right keys pass.
@Suite struct SignatureConformanceTests {
    func client(_ moto: MotoFixture, _ service: AWSService, key: String, secret: String) -> AWSClient {
        moto.client(
            service, credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: key, secretAccessKey: secret)),
            account: moto.accountA)
    }

    @Test func aWrongSecretIsSignatureDoesNotMatch() async throws {
        let moto = try MotoFixture.load()
        let wrong = String(moto.secretAccessKey.reversed())
        let sts = await #expect(throws: AWSError.self) {
            try await STSClient(client: client(moto, .sts, key: moto.accessKeyId, secret: wrong)).getCallerIdentity()
        }
        #expect(sts?.code == "SignatureDoesNotMatch")
        #expect(sts?.httpStatus == 403)
        let rds = await #expect(throws: AWSError.self) {
            try await RDSClient(client: client(moto, .rds, key: moto.accessKeyId, secret: wrong)).describeDBInstances()
        }
        #expect(rds?.code == "SignatureDoesNotMatch")
        #expect(rds?.httpStatus == 403)
    }

    @Test func anUnknownAccessKeyIsInvalidClientTokenId() async throws {
        let moto = try MotoFixture.load()
        let sts = await #expect(throws: AWSError.self) {
            try await STSClient(client: client(moto, .sts, key: "AKIAUNKNOWNCUTOVER00", secret: moto.secretAccessKey)).getCallerIdentity()
        }
        #expect(sts?.code == "InvalidClientTokenId")
        let rds = await #expect(throws: AWSError.self) {
            try await RDSClient(client: client(moto, .rds, key: "AKIAUNKNOWNCUTOVER00", secret: moto.secretAccessKey)).describeDBInstances()
        }
        #expect(rds?.code == "InvalidClientTokenId")
    }

    @Test func theRightKeysAreAccepted() async throws {
        let moto = try MotoFixture.load()
        let identity = try await STSClient(client: client(moto, .sts, key: moto.accessKeyId, secret: moto.secretAccessKey))
            .getCallerIdentity()
        #expect(identity.account == moto.accountA)
        _ = try await RDSClient(client: client(moto, .rds, key: moto.accessKeyId, secret: moto.secretAccessKey)).describeDBInstances()
    }

    @Test func assumedRoleCredentialsWithAWrongSecretAreRefused() async throws {
        let moto = try MotoFixture.load()
        var credentials = try await moto.assumeRoleB()
        credentials.secretAccessKey = String(credentials.secretAccessKey.reversed())
        let error = await #expect(throws: AWSError.self) {
            try await RDSClient(client: moto.client(.rds, credentials: StaticCredentialProvider(credentials), account: moto.accountB))
                .describeDBInstances()
        }
        #expect(error?.code == "SignatureDoesNotMatch")
    }
}
