import AWSServices
import Foundation
import TestSupport
import Testing

/// GetCallerIdentity and AssumeRole against moto with signature checking on.
@Suite struct STSConformanceTests {
    @Test func callerIdentityWithAccountAKeysIsAccountA() async throws {
        let moto = try MotoFixture.load()
        let identity = try await STSClient(client: moto.clientA(.sts)).getCallerIdentity()
        #expect(identity.account == moto.accountA)
        #expect(identity.arn.hasPrefix("arn:aws:iam::\(moto.accountA):user/"))
        #expect(!identity.userId.isEmpty)
        #expect(identity.requestId?.isEmpty == false)
    }

    @Test func assumedRoleCredentialsAreAccountB() async throws {
        let moto = try MotoFixture.load()
        let sts = STSClient(client: moto.clientA(.sts))
        let session = "cutover-\(UInt16.random(in: 0...UInt16.max))"
        let assumed = try await sts.assumeRole(.init(roleArn: moto.roleArnB, roleSessionName: session))
        #expect(assumed.credentials.accountId == moto.accountB)
        #expect(assumed.credentials.sessionToken?.isEmpty == false)
        #expect(try #require(assumed.credentials.expiration) > Date())
        #expect(assumed.assumedRoleArn == "arn:aws:sts::\(moto.accountB):assumed-role/CutoverTarget/\(session)")
        #expect(assumed.assumedRoleId.hasSuffix(":\(session)"))

        let b = STSClient(client: moto.client(.sts, credentials: StaticCredentialProvider(assumed.credentials), account: moto.accountB))
        let identity = try await b.getCallerIdentity()
        #expect(identity.account == moto.accountB)
        #expect(identity.arn == assumed.assumedRoleArn)
    }

    @Test func assumeRoleAcceptsExternalIdSourceIdentityTagsAndPolicy() async throws {
        let moto = try MotoFixture.load()
        let assumed = try await STSClient(client: moto.clientA(.sts)).assumeRole(
            .init(
                roleArn: moto.roleArnB, roleSessionName: "cutover-options", externalId: "cutover-external-id",
                durationSeconds: 1800, sourceIdentity: "alice", tags: ["run": "42", "step": "move-db"],
                transitiveTagKeys: ["run"],
                policy: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds:*","Resource":"*"}]}"#))
        #expect(assumed.credentials.accountId == moto.accountB)
        let expiration = try #require(assumed.credentials.expiration)
        #expect(abs(expiration.timeIntervalSinceNow - 1800) < 120)
    }
}
