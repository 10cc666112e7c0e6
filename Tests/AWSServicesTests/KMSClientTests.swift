import AWSServices
import Foundation
import Testing

/// DescribeKey, GetKeyPolicy, ListAliases and CreateGrant over the JSON protocol.
@Suite struct KMSClientTests {
    static func keyMetadata(manager: String, keyId: String = "1234abcd-12ab-34cd-56ef-1234567890ab") -> String {
        """
        {"KeyMetadata":{"AWSAccountId":"111111111111","Arn":"arn:aws:kms:ap-northeast-1:111111111111:key/\(keyId)",\
        "CreationDate":1.499988169234E9,"CustomerMasterKeySpec":"SYMMETRIC_DEFAULT","Description":"Default key that protects my RDS database volumes when no other key is defined",\
        "Enabled":true,"EncryptionAlgorithms":["SYMMETRIC_DEFAULT"],"KeyId":"\(keyId)","KeyManager":"\(manager)",\
        "KeySpec":"SYMMETRIC_DEFAULT","KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT","MultiRegion":false,"Origin":"AWS_KMS"}}
        """
    }

    @Test func describeKeyTellsTheDefaultRDSKeyApart() async throws {
        let aws = try StubbedAWS(.kms, body: Self.keyMetadata(manager: "AWS"))
        let key = try await KMSClient(client: aws.client).describeKey(keyId: "alias/aws/rds")
        let request = try #require(aws.requests.last)
        #expect(request.header("X-Amz-Target") == "TrentService.DescribeKey")
        #expect(request.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(try aws.json()["KeyId"] as? String == "alias/aws/rds")
        #expect(key.keyManager == .aws && key.isAWSManaged)
        #expect(key.keyId == "1234abcd-12ab-34cd-56ef-1234567890ab")
        #expect(key.arn == "arn:aws:kms:ap-northeast-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        #expect(key.awsAccountId == "111111111111")
        #expect(key.keyState == "Enabled" && key.enabled == true)
        #expect(key.creationDate == Date(timeIntervalSince1970: 1_499_988_169.234))
    }

    @Test func describeKeyOfACustomerKey() async throws {
        let aws = try StubbedAWS(.kms, body: Self.keyMetadata(manager: "CUSTOMER"))
        let key = try await KMSClient(client: aws.client).describeKey(keyId: "alias/admin-db")
        #expect(key.keyManager == .customer && !key.isAWSManaged)
    }

    @Test(arguments: [
        ("no KeyMetadata", "{}"),
        ("no KeyManager", #"{"KeyMetadata":{"KeyId":"k"}}"#),
        ("unknown KeyManager", #"{"KeyMetadata":{"KeyId":"k","KeyManager":"SOMEONE"}}"#),
        ("no KeyId", #"{"KeyMetadata":{"KeyManager":"AWS"}}"#),
        ("not JSON", "<html>"),
    ])
    func malformedDescribeKeyAnswersNameTheOperation(_ case: (String, String)) async throws {
        let aws = try StubbedAWS(.kms, body: `case`.1)
        let error = await #expect(throws: AWSError.self, "\(`case`.0)") {
            try await KMSClient(client: aws.client).describeKey(keyId: "alias/aws/rds")
        }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "DescribeKey")
        #expect(error?.resource == "alias/aws/rds")
        #expect(error?.requestId == "kms-req-1")
    }

    @Test func getKeyPolicyAsksForTheDefaultPolicy() async throws {
        let policy = #"{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ ]\n}"#
        let aws = try StubbedAWS(.kms, body: #"{"Policy":"\#(policy)","PolicyName":"default"}"#)
        let result = try await KMSClient(client: aws.client).getKeyPolicy(keyId: "1234abcd")
        #expect(aws.requests.last?.header("X-Amz-Target") == "TrentService.GetKeyPolicy")
        let body = try aws.json()
        #expect(body["KeyId"] as? String == "1234abcd" && body["PolicyName"] as? String == "default")
        #expect(result.policy.contains("key-default-1"))
        #expect(result.policyName == "default")
        #expect(result.requestId == "kms-req-1")
    }

    @Test func getKeyPolicyWithoutPolicyIsMalformed() async throws {
        let aws = try StubbedAWS(.kms, body: #"{"PolicyName":"default"}"#)
        let error = await #expect(throws: AWSError.self) { try await KMSClient(client: aws.client).getKeyPolicy(keyId: "k") }
        #expect(error?.origin == .malformedResponse && error?.operation == "GetKeyPolicy")
    }

    @Test func listAllAliasesFollowsNextMarkerWhileTruncated() async throws {
        let aws = try StubbedAWS(.kms) { request in
            let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
            let reply =
                body["Marker"] == nil
                ? #"{"Aliases":[{"AliasArn":"arn:aws:kms:us-east-1:111111111111:alias/aws/rds","AliasName":"alias/aws/rds","TargetKeyId":"k1","CreationDate":1.5E9}],"NextMarker":"m2","Truncated":true}"#
                : #"{"Aliases":[{"AliasName":"alias/admin-db","TargetKeyId":"k2","LastUpdatedDate":1.6E9}],"Truncated":false}"#
            return .text(200, reply, headers: [("Content-Type", "application/x-amz-json-1.1")])
        }
        let aliases = try await KMSClient(client: aws.client).listAllAliases(keyId: "k")
        #expect(aliases.map(\.aliasName) == ["alias/aws/rds", "alias/admin-db"])
        #expect(aliases[0].isAWSManaged && !aliases[1].isAWSManaged)
        #expect(aliases[0].creationDate == Date(timeIntervalSince1970: 1.5e9))
        #expect(aws.requests.count == 2)
        let second = try aws.json()
        #expect(second["Marker"] as? String == "m2" && second["KeyId"] as? String == "k")
        #expect(aws.requests.first?.header("X-Amz-Target") == "TrentService.ListAliases")
    }

    @Test func listAliasesTruncatedWithoutMarkerIsMalformed() async throws {
        let aws = try StubbedAWS(.kms, body: #"{"Aliases":[],"Truncated":true}"#)
        let error = await #expect(throws: AWSError.self) { try await KMSClient(client: aws.client).listAliases() }
        #expect(error?.origin == .malformedResponse && error?.operation == "ListAliases")
    }

    @Test func listAliasesSendsNoFieldsWhenUnfiltered() async throws {
        let aws = try StubbedAWS(.kms, body: #"{"Aliases":[],"Truncated":false}"#)
        let page = try await KMSClient(client: aws.client).listAliases()
        #expect(try aws.json().isEmpty)
        #expect(page.aliases.isEmpty && !page.truncated && page.nextMarker == nil)
    }

    @Test func createGrantSendsPrincipalsOperationsAndName() async throws {
        let aws = try StubbedAWS(
            .kms,
            body:
                #"{"GrantId":"0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60","GrantToken":"AQpAM2RhZTk1MGMyNTk2ZmZmMzEyYWVhOWViN2I1MWM4Mzc0MWFiYjc0ZDE1ODkyNGFlNTIzODZhMzgyZjBlNGY3NiKIAQEBAgB4Pa6VDCWW__MSrqnre1HIN0Gruw"}"#
        )
        let output = try await KMSClient(client: aws.client).createGrant(
            .init(
                keyId: "arn:aws:kms:us-east-1:111111111111:key/k", granteePrincipal: "arn:aws:iam::222222222222:root",
                operations: [.decrypt, .describeKey, .createGrant], retiringPrincipal: "arn:aws:iam::111111111111:role/CutoverSource",
                name: "cutover-admin-db"))
        #expect(aws.requests.last?.header("X-Amz-Target") == "TrentService.CreateGrant")
        let body = try aws.json()
        #expect(body["KeyId"] as? String == "arn:aws:kms:us-east-1:111111111111:key/k")
        #expect(body["GranteePrincipal"] as? String == "arn:aws:iam::222222222222:root")
        #expect(body["Operations"] as? [String] == ["Decrypt", "DescribeKey", "CreateGrant"])
        #expect(body["RetiringPrincipal"] as? String == "arn:aws:iam::111111111111:role/CutoverSource")
        #expect(body["Name"] as? String == "cutover-admin-db")
        #expect(output.grantId.hasPrefix("0c237476"))
        #expect(output.grantToken.hasPrefix("AQpAM2Rh"))
        #expect(output.requestId == "kms-req-1")
    }

    @Test func kmsErrorsKeepTheirCode() async throws {
        let aws = try StubbedAWS(
            .kms, status: 400,
            body: #"{"__type":"NotFoundException","message":"Key 'arn:aws:kms:us-east-1:111111111111:key/x' does not exist"}"#)
        let error = await #expect(throws: AWSError.self) { try await KMSClient(client: aws.client).describeKey(keyId: "x") }
        #expect(error?.code == "NotFoundException" && error?.origin == .service)
        #expect(error?.requestId == "kms-req-1")
    }
}
