import AWSServices
import Foundation
import Testing

/// GetCallerIdentity and AssumeRole: parameters and decoding from STS's documented answers.
@Suite struct STSClientTests {
    static let callerIdentity = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
            <Arn>arn:aws:sts::123456789012:assumed-role/CutoverSource/cutover</Arn>
            <UserId>AROA3XFRBF535PLBIFPI4:cutover</UserId>
            <Account>123456789012</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """

    static func assumeRole(credentials: String = defaultCredentials) -> String {
        """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleResult>
            <SourceIdentity>alice</SourceIdentity>
            <AssumedRoleUser>
              <Arn>arn:aws:sts::222222222222:assumed-role/CutoverTarget/cutover-run-42</Arn>
              <AssumedRoleId>ARO123EXAMPLE123:cutover-run-42</AssumedRoleId>
            </AssumedRoleUser>
            \(credentials)
            <PackedPolicySize>6</PackedPolicySize>
          </AssumeRoleResult>
          <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
        </AssumeRoleResponse>
        """
    }

    static let defaultCredentials = """
        <Credentials>
          <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==</SessionToken>
          <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
          <Expiration>2026-12-01T02:00:00Z</Expiration>
          <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
        </Credentials>
        """

    @Test func getCallerIdentityDecodesAccountArnAndUser() async throws {
        let aws = try StubbedAWS(.sts, body: Self.callerIdentity)
        let identity = try await STSClient(client: aws.client).getCallerIdentity()
        #expect(aws.form() == ["Action": "GetCallerIdentity", "Version": "2011-06-15"])
        #expect(identity.account == "123456789012")
        #expect(identity.arn == "arn:aws:sts::123456789012:assumed-role/CutoverSource/cutover")
        #expect(identity.userId == "AROA3XFRBF535PLBIFPI4:cutover")
        #expect(identity.requestId == "01234567-89ab-cdef-0123-456789abcdef")
    }

    @Test func getCallerIdentityWithoutAccountIsMalformed() async throws {
        let aws = try StubbedAWS(.sts, body: Self.callerIdentity.replacingOccurrences(of: "<Account>123456789012</Account>", with: ""))
        let error = await #expect(throws: AWSError.self) { try await STSClient(client: aws.client).getCallerIdentity() }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "GetCallerIdentity")
        #expect(error?.message.contains("Account") == true)
    }

    @Test func assumeRoleSendsEveryOptionInSTSListFormat() async throws {
        let aws = try StubbedAWS(.sts, body: Self.assumeRole())
        _ = try await STSClient(client: aws.client).assumeRole(
            .init(
                roleArn: "arn:aws:iam::222222222222:role/CutoverTarget", roleSessionName: "cutover-run-42",
                externalId: "ext-123", durationSeconds: 3600, sourceIdentity: "alice",
                tags: ["run": "42", "approver": "bob"], transitiveTagKeys: ["run"],
                policy: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds:*","Resource":"*"}]}"#))
        let form = aws.form()
        #expect(form["Action"] == "AssumeRole")
        #expect(form["RoleArn"] == "arn:aws:iam::222222222222:role/CutoverTarget")
        #expect(form["RoleSessionName"] == "cutover-run-42")
        #expect(form["ExternalId"] == "ext-123")
        #expect(form["DurationSeconds"] == "3600")
        #expect(form["SourceIdentity"] == "alice")
        #expect(form["Tags.member.1.Key"] == "approver" && form["Tags.member.1.Value"] == "bob")
        #expect(form["Tags.member.2.Key"] == "run" && form["Tags.member.2.Value"] == "42")
        #expect(form["TransitiveTagKeys.member.1"] == "run")
        #expect(form["Policy"]?.contains("rds:*") == true)
    }

    @Test func assumeRoleDecodesCredentialsWithExpiryAndAccount() async throws {
        let aws = try StubbedAWS(.sts, body: Self.assumeRole())
        let output = try await STSClient(client: aws.client).assumeRole(
            .init(roleArn: "arn:aws:iam::222222222222:role/CutoverTarget", roleSessionName: "cutover-run-42"))
        #expect(Set(aws.form().keys) == ["Action", "Version", "RoleArn", "RoleSessionName"])
        #expect(output.credentials.accessKeyId == "ASIAIOSFODNN7EXAMPLE")
        #expect(output.credentials.secretAccessKey == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY")
        #expect(output.credentials.sessionToken?.hasPrefix("AQoDYXdzEPT") == true)
        #expect(output.credentials.expiration == Date(timeIntervalSince1970: 1_796_090_400))
        #expect(output.credentials.accountId == "222222222222")
        #expect(output.assumedRoleArn == "arn:aws:sts::222222222222:assumed-role/CutoverTarget/cutover-run-42")
        #expect(output.assumedRoleId == "ARO123EXAMPLE123:cutover-run-42")
        #expect(output.packedPolicySize == 6)
        #expect(output.sourceIdentity == "alice")
        #expect(output.requestId == "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
        #expect(!"\(output.credentials)".contains("wJalrXUtnFEMI"))
    }

    @Test(arguments: [
        ("no Credentials", ""),
        (
            "no session token",
            defaultCredentials.replacingOccurrences(of: #"<SessionToken>[^<]*</SessionToken>"#, with: "", options: .regularExpression)
        ),
        ("no expiration", defaultCredentials.replacingOccurrences(of: "<Expiration>2026-12-01T02:00:00Z</Expiration>", with: "")),
        ("bad expiration", defaultCredentials.replacingOccurrences(of: "2026-12-01T02:00:00Z", with: "tomorrow")),
    ])
    func assumeRoleWithIncompleteCredentialsIsMalformed(_ case: (String, String)) async throws {
        let aws = try StubbedAWS(.sts, body: Self.assumeRole(credentials: `case`.1))
        let error = await #expect(throws: AWSError.self, "\(`case`.0)") {
            try await STSClient(client: aws.client).assumeRole(.init(roleArn: "arn:aws:iam::222222222222:role/R", roleSessionName: "s"))
        }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "AssumeRole")
        #expect(error?.resource == "arn:aws:iam::222222222222:role/R")
    }

    @Test func accessDeniedIsTyped() async throws {
        let body = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>\
            <Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>req-denied</RequestId></ErrorResponse>
            """
        let aws = try StubbedAWS(.sts, status: 403, body: body)
        let error = await #expect(throws: AWSError.self) {
            try await STSClient(client: aws.client).assumeRole(.init(roleArn: "arn:aws:iam::222222222222:role/R", roleSessionName: "s"))
        }
        #expect(error?.code == "AccessDenied" && error?.requestId == "req-denied" && error?.httpStatus == 403)
    }

    @Test func aClientForAnotherServiceIsRetargeted() throws {
        let aws = try StubbedAWS(.rds, body: "")
        #expect(STSClient(client: aws.client).client.service == .sts)
        #expect(RDSClient(client: aws.client).client.service == .rds)
        #expect(KMSClient(client: aws.client).client.service == .kms)
    }
}
