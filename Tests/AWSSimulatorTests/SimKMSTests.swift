import AWSSimulator
import Foundation
import Testing

@testable import AWSServices

/// KMS across accounts as the key policy allows: DescribeKey, ListAliases, CreateGrant,
/// GetKeyPolicy, and the pure access question RDS asks.
@Suite("SimKMS: keys, aliases and grants across accounts")
struct SimKMSTests {
    typealias W = SimRDSWorld

    static func world() throws -> (SimRDSWorld, SimKMSKey) {
        var world = SimRDSWorld()
        let key = try world.state.kms.createKey(
            account: W.a, region: W.region, now: world.now, description: "shared with B", sharedWith: [W.b], alias: "alias/cutover-share")
        return (world, key)
    }

    @Test func ownerDescribesByIdArnAliasAndAliasArn() throws {
        var (world, key) = try Self.world()
        for reference in [key.keyId, key.arn, "alias/cutover-share", "arn:aws:kms:us-east-1:\(W.a):alias/cutover-share"] {
            struct Output: Decodable { var KeyMetadata: KMSKeyMetadata }
            let metadata = try SimWire.decode(Output.self, world.kms("DescribeKey", as: W.a, ["KeyId": reference])).KeyMetadata
            #expect(metadata.keyId == key.keyId)
            #expect(metadata.arn == key.arn)
            #expect(metadata.awsAccountId == W.a)
            #expect(metadata.keyManager == .customer)
            #expect(metadata.keyState == "Enabled")
            #expect(metadata.creationDate == world.now)
        }
    }

    @Test func anotherAccountDescribesOnlyByArnAndOnlyWhenThePolicyAllows() throws {
        var (world, key) = try Self.world()
        #expect(SimWire.error(world.kms("DescribeKey", as: W.b, ["KeyId": key.arn]), json: true) == "200")
        #expect(
            SimWire.error(world.kms("DescribeKey", as: W.b, ["KeyId": "arn:aws:kms:us-east-1:\(W.a):alias/cutover-share"]), json: true)
                == "200")
        // By key ID or alias name the reference is read in B's own account: not found.
        #expect(SimWire.error(world.kms("DescribeKey", as: W.b, ["KeyId": key.keyId]), json: true) == "NotFoundException 400")
        #expect(SimWire.error(world.kms("DescribeKey", as: W.b, ["KeyId": "alias/cutover-share"]), json: true) == "NotFoundException 400")
        // C is not in the policy.
        let denied = world.kms("DescribeKey", as: W.c, ["KeyId": key.arn])
        #expect(SimWire.error(denied, json: true) == "AccessDeniedException 400")
        #expect(SimWire.message(denied, json: true).contains("kms:DescribeKey"))
    }

    @Test func awsManagedRdsKeyIsDescribedAsAWSAndNeverAcrossAccounts() throws {
        var (world, _) = try Self.world()
        struct Output: Decodable { var KeyMetadata: KMSKeyMetadata }
        let metadata = try SimWire.decode(Output.self, world.kms("DescribeKey", as: W.a, ["KeyId": "alias/aws/rds"])).KeyMetadata
        #expect(metadata.keyManager == .aws)
        #expect(metadata.isAWSManaged)
        let denied = world.kms("DescribeKey", as: W.b, ["KeyId": try #require(metadata.arn)])
        #expect(SimWire.error(denied, json: true) == "AccessDeniedException 400")
        let access = world.state.kms.snapshotAccess(keyArn: try #require(metadata.arn), account: W.b, region: W.region)
        #expect(access == .awsManagedKeyOfAnotherAccount)
    }

    @Test func listAliasesIsPerAccountAndPages() throws {
        var (world, key) = try Self.world()
        for i in 1...3 {
            try world.state.kms.createAlias(
                name: "alias/extra-\(i)", targetKeyId: key.keyId, account: W.a, region: W.region, now: world.now)
        }
        struct Page: Decodable {
            var Aliases: [KMSAlias]
            var NextMarker: String?
            var Truncated: Bool
        }
        let first = try SimWire.decode(Page.self, world.kms("ListAliases", as: W.a, ["Limit": 2]))
        #expect(first.Truncated)
        #expect(first.Aliases.count == 2)
        let marker = try #require(first.NextMarker)
        let rest = try SimWire.decode(Page.self, world.kms("ListAliases", as: W.a, ["Limit": 100, "Marker": marker]))
        #expect(!rest.Truncated && rest.NextMarker == nil)
        let names = (first.Aliases + rest.Aliases).map(\.aliasName)
        #expect(names == ["alias/aws/rds", "alias/cutover-share", "alias/extra-1", "alias/extra-2", "alias/extra-3"])
        #expect((first.Aliases + rest.Aliases).allSatisfy { $0.targetKeyId != nil })
        // B sees only its own (the managed aws/rds alias).
        let other = try SimWire.decode(Page.self, world.kms("ListAliases", as: W.b))
        #expect(other.Aliases.map(\.aliasName) == ["alias/aws/rds"])
        // Filtered by key.
        let ofKey = try SimWire.decode(Page.self, world.kms("ListAliases", as: W.a, ["KeyId": key.arn]))
        #expect(ofKey.Aliases.count == 4)
        #expect(SimWire.error(world.kms("ListAliases", as: W.a, ["Limit": 0]), json: true) == "ValidationException 400")
        #expect(SimWire.error(world.kms("ListAliases", as: W.a, ["Marker": "zzz"]), json: true) == "InvalidMarkerException 400")
    }

    @Test func createGrantForTheOwnerAndAnAllowedAccountButNotOthers() throws {
        var (world, key) = try Self.world()
        let input: [String: Any] = [
            "KeyId": key.arn, "GranteePrincipal": "arn:aws:iam::\(W.b):root", "Operations": ["Decrypt", "CreateGrant"], "Name": "cutover",
        ]
        let owner = try SimWire.json(world.kms("CreateGrant", as: W.a, input))
        let grantId = try #require(owner["GrantId"] as? String)
        #expect(grantId.count == 64)
        #expect((owner["GrantToken"] as? String)?.isEmpty == false)
        // Idempotent by name.
        #expect(try SimWire.json(world.kms("CreateGrant", as: W.a, input))["GrantId"] as? String == grantId)
        // B may create grants on A's key by ARN because the policy allows it…
        #expect(SimWire.error(world.kms("CreateGrant", as: W.b, input.merging(["Name": "b"]) { $1 }), json: true) == "200")
        // …C may not, and an alias is not accepted.
        #expect(SimWire.error(world.kms("CreateGrant", as: W.c, input), json: true) == "AccessDeniedException 400")
        #expect(
            SimWire.error(world.kms("CreateGrant", as: W.a, input.merging(["KeyId": "alias/cutover-share"]) { $1 }), json: true)
                == "NotFoundException 400")
        #expect(
            SimWire.error(world.kms("CreateGrant", as: W.a, input.merging(["Operations": ["Fly"]]) { $1 }), json: true)
                == "ValidationException 400")
        #expect(world.state.kms.keys[key.arn]?.grants.count == 2)
    }

    @Test func keyPolicyIsReadableByTheOwnerOnly() throws {
        var (world, key) = try Self.world()
        let policy = try SimWire.json(world.kms("GetKeyPolicy", as: W.a, ["KeyId": key.keyId, "PolicyName": "default"]))
        let text = try #require(policy["Policy"] as? String)
        #expect(text.contains("arn:aws:iam::\(W.b):root"))
        #expect(SimWire.error(world.kms("GetKeyPolicy", as: W.b, ["KeyId": key.arn]), json: true) == "AccessDeniedException 400")
    }

    @Test func createKeyAndAliasThroughTheApiWithAPolicyNamingARole() throws {
        var world = SimRDSWorld()
        let policy = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(W.a):root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::\(W.b):role/cutover"]},"Action":["kms:Describe*","kms:Decrypt","kms:CreateGrant"],"Resource":"*"},
              {"Effect":"Deny","Principal":"*","Action":"kms:CreateGrant","Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"false"}}}
            ]}
            """
        let created = try SimWire.json(world.kms("CreateKey", as: W.a, ["Description": "api", "Policy": policy]))
        let arn = try #require((created["KeyMetadata"] as? [String: Any])?["Arn"] as? String)
        #expect(SimWire.error(world.kms("CreateAlias", as: W.a, ["AliasName": "alias/api", "TargetKeyId": arn]), json: true) == "200")
        #expect(
            SimWire.error(world.kms("CreateAlias", as: W.a, ["AliasName": "alias/api", "TargetKeyId": arn]), json: true)
                == "AlreadyExistsException 400")
        #expect(
            SimWire.error(world.kms("CreateAlias", as: W.a, ["AliasName": "alias/aws/mine", "TargetKeyId": arn]), json: true)
                == "NotAuthorizedException 400")
        // The role's sessions may describe; other principals of B may not.
        let session = "arn:aws:sts::\(W.b):assumed-role/cutover/run-1"
        #expect(SimWire.error(world.kms("DescribeKey", as: W.b, principal: session, ["KeyId": arn]), json: true) == "200")
        #expect(SimWire.error(world.kms("DescribeKey", as: W.b, ["KeyId": arn]), json: true) == "AccessDeniedException 400")
        // An explicit Deny wins (conditions are not evaluated).
        #expect(
            SimWire.error(
                world.kms("CreateGrant", as: W.a, ["KeyId": arn, "GranteePrincipal": W.b, "Operations": ["Decrypt"]]), json: true)
                == "AccessDeniedException 400")
        #expect(
            SimWire.error(world.kms("CreateKey", as: W.a, ["Policy": "not json"]), json: true) == "MalformedPolicyDocumentException 400")
    }

    @Test func errorBodyIsKMSJson() throws {
        var (world, _) = try Self.world()
        let response = world.kms("DescribeKey", as: W.a, ["KeyId": "alias/missing"])
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/x-amz-json-1.1")
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: String])
        #expect(object["__type"] == "NotFoundException")
        #expect(object["message"] == "Alias arn:aws:kms:us-east-1:\(W.a):alias/missing is not found.")
        #expect(SimWire.error(world.kms("DescribeKey", as: W.a), json: true) == "ValidationException 400")
        #expect(
            KMSService().operation(of: SimRequest(method: "POST", path: "/", headers: [("X-Amz-Target", "TrentService.Decrypt")])) == nil)
    }

    @Test func snapshotAccessIsThePolicyOrAGrant() throws {
        var (world, key) = try Self.world()
        #expect(world.state.kms.snapshotAccess(keyArn: key.arn, account: W.a, region: W.region) == .allowed)
        #expect(world.state.kms.snapshotAccess(keyArn: key.arn, account: W.b, region: W.region) == .allowed)
        #expect(world.state.kms.snapshotAccess(keyArn: key.arn, account: W.c, region: W.region) == .notPermitted)
        #expect(world.state.kms.snapshotAccess(keyArn: key.arn, account: W.b, region: "eu-west-1") == .notFound)
        #expect(world.state.kms.snapshotAccess(keyArn: key.arn + "x", account: W.b, region: W.region) == .notFound)
        try world.state.kms.setEnabled(keyArn: key.arn, false)
        #expect(world.state.kms.snapshotAccess(keyArn: key.arn, account: W.b, region: W.region) == .disabled)
    }
}
