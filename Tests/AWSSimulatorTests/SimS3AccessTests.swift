import AWSSimulator
import Foundation
import Testing

/// ExpectedBucketOwner and cross-account access through bucket policies (AWS-NOTES §1.5, §3.4),
/// where moto lets every account do everything (MOTO-NOTES §3).
@Suite("simulated S3: owners and policies")
struct SimS3AccessTests {
    typealias H = SimS3Harness

    @Test func expectedBucketOwnerMismatchIsAccessDenied() {
        var s3 = H()
        s3.createBucket("owned")
        s3.put("owned", "k", Data("v".utf8))
        let wrong: [(name: String, value: String)] = [("x-amz-expected-bucket-owner", H.product)]
        let right: [(name: String, value: String)] = [("x-amz-expected-bucket-owner", H.legacy)]
        #expect(s3.call("HEAD", "/owned", headers: wrong).status == 403)
        let get = s3.get("owned", "k", headers: wrong)
        #expect(get.status == 403)
        #expect(get.code == "AccessDenied")
        #expect(s3.put("owned", "k2", Data(), headers: wrong).status == 403)
        #expect(s3.call("DELETE", "/owned", headers: wrong).status == 403)
        #expect(s3.get("owned", "k", headers: right).status == 200)

        s3.createBucket("copy-target")
        let copyWrongSource = s3.call(
            "PUT", "/copy-target/k", headers: [("x-amz-copy-source", "owned/k"), ("x-amz-source-expected-bucket-owner", H.product)])
        #expect(copyWrongSource.code == "AccessDenied")
        let copyRightSource = s3.call(
            "PUT", "/copy-target/k", headers: [("x-amz-copy-source", "owned/k"), ("x-amz-source-expected-bucket-owner", H.legacy)])
        #expect(copyRightSource.status == 200)
    }

    @Test func crossAccountGetObjectNeedsTheBucketPolicyAndExplicitDenyWins() {
        var s3 = H()
        s3.createBucket("shared")
        s3.put("shared", "data/report.csv", Data("a,b".utf8))

        let denied = s3.get("shared", "data/report.csv", account: H.product)
        #expect(denied.status == 403)
        #expect(denied.code == "AccessDenied")

        #expect(s3.putConfiguration("shared", "policy", H.allowPolicy(bucket: "shared", account: H.product)).status == 204)
        let allowed = s3.get("shared", "data/report.csv", account: H.product)
        #expect(allowed.status == 200)
        #expect(allowed.text == "a,b")
        // The policy grants reads, not writes.
        #expect(s3.put("shared", "new", Data(), account: H.product).code == "AccessDenied")
        // A third account is still refused.
        #expect(s3.get("shared", "data/report.csv", account: H.squatter).status == 403)

        let allowAndDeny = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":["\(H.product)"]},"Action":"s3:*","Resource":["arn:aws:s3:::shared","arn:aws:s3:::shared/*"]},
              {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/data/*"}]}
            """
        #expect(s3.putConfiguration("shared", "policy", allowAndDeny).status == 204)
        #expect(s3.get("shared", "data/report.csv", account: H.product).code == "AccessDenied")
        // The explicit Deny binds the owner's principals too.
        #expect(s3.get("shared", "data/report.csv", account: H.legacy).code == "AccessDenied")
        #expect(s3.put("shared", "other", Data("x".utf8), account: H.product).status == 200)
    }

    @Test func rolePrincipalsCoverTheirSessions() throws {
        var s3 = H()
        try s3.state.s3.seedBucket(
            "role-shared", account: H.legacy, created: s3.now,
            policy: """
                {"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\(H.product):role/cutover"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::role-shared/*"}]}
                """)
        try s3.state.s3.seedObject(bucket: "role-shared", key: "k", body: .bytes(Data("v".utf8)), at: s3.now)
        let policy = try #require(s3.state.s3.buckets["role-shared"]?.policy)
        let session = SimPrincipal(
            account: H.product, arn: "arn:aws:sts::\(H.product):assumed-role/cutover/run-1", userId: "AROA:run-1", accessKeyId: "ASIA1")
        let otherRole = SimPrincipal(
            account: H.product, arn: "arn:aws:sts::\(H.product):assumed-role/other/run-1", userId: "AROA:run-1", accessKeyId: "ASIA2")
        #expect(policy.decision(for: session, action: "s3:GetObject", resource: "arn:aws:s3:::role-shared/k") == .allow)
        #expect(policy.decision(for: otherRole, action: "s3:GetObject", resource: "arn:aws:s3:::role-shared/k") == .notApplicable)
    }

    @Test func missingKeyIsForbiddenRatherThanNotFoundWithoutListPermission() {
        var s3 = H()
        s3.createBucket("probe")
        s3.putConfiguration("probe", "policy", H.allowPolicy(bucket: "probe", account: H.product, actions: ["s3:GetObject"]))
        #expect(s3.get("probe", "absent", account: H.product).status == 403)
        s3.putConfiguration("probe", "policy", H.allowPolicy(bucket: "probe", account: H.product))
        #expect(s3.get("probe", "absent", account: H.product).code == "NoSuchKey")
    }

    @Test func bucketConfigurationIsOwnerOnly() {
        var s3 = H()
        s3.createBucket("config-owner")
        s3.putConfiguration("config-owner", "policy", H.allowPolicy(bucket: "config-owner", account: H.product, actions: ["s3:*"]))
        #expect(
            s3.putConfiguration(
                "config-owner", "versioning", "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
                account: H.product
            ).code == "AccessDenied")
        #expect(s3.call("GET", "/config-owner", query: "policy", account: H.product).code == "AccessDenied")
        #expect(s3.call("DELETE", "/config-owner", account: H.product).code == "AccessDenied")
        #expect(s3.state.s3.buckets["config-owner"]?.versioning == .unversioned)
    }

    @Test func malformedOrForeignPoliciesAreRefused() {
        var s3 = H()
        s3.createBucket("strict")
        #expect(s3.putConfiguration("strict", "policy", "{not json").code == "MalformedPolicy")
        #expect(s3.putConfiguration("strict", "policy", "[1]").code == "MalformedPolicy")
        let noPrincipal = #"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::strict/*"}]}"#
        #expect(s3.putConfiguration("strict", "policy", noPrincipal).code == "MalformedPolicy")
        let otherBucket =
            #"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::elsewhere/*"}]}"#
        #expect(s3.putConfiguration("strict", "policy", otherBucket).code == "MalformedPolicy")
        #expect(s3.call("GET", "/strict", query: "policy").code == "NoSuchBucketPolicy")
    }

    @Test func crossAccountCopyReadsTheSourceAndWritesTheDestinationAndKeepsTags() {
        var s3 = H()
        s3.createBucket("legacy-src")
        s3.createBucket("product-dst", account: H.product)
        s3.put(
            "legacy-src", "obj", Data("payload".utf8), headers: [("x-amz-tagging", "team=data&tier=gold"), ("x-amz-meta-origin", "legacy")])
        let copy: [(name: String, value: String)] = [("x-amz-copy-source", "/legacy-src/obj")]
        #expect(s3.call("PUT", "/product-dst/obj", headers: copy, account: H.product).code == "AccessDenied")
        s3.putConfiguration("legacy-src", "policy", H.allowPolicy(bucket: "legacy-src", account: H.product))
        // Read access alone does not copy a tagged object with the default tagging directive COPY:
        // the tag set needs s3:GetObjectTagging on the source (docs/SIMULATOR.md, CopyObject).
        #expect(s3.call("PUT", "/product-dst/obj", headers: copy, account: H.product).code == "AccessDenied")
        let replaced = s3.call(
            "PUT", "/product-dst/untagged", headers: copy + [("x-amz-tagging-directive", "REPLACE")], account: H.product)
        #expect(replaced.status == 200, "REPLACE with no tags needs no tag permission")
        s3.putConfiguration(
            "legacy-src", "policy",
            H.allowPolicy(bucket: "legacy-src", account: H.product, actions: ["s3:GetObject", "s3:GetObjectTagging", "s3:ListBucket"]))
        let copied = s3.call("PUT", "/product-dst/obj", headers: copy, account: H.product)
        #expect(copied.status == 200)
        #expect(copied.element("ETag") == "&quot;\(H.md5Hex(Data("payload".utf8)))&quot;")
        let tags = s3.call("GET", "/product-dst/obj", query: "tagging", account: H.product)
        #expect(tags.elements("Key") == ["team", "tier"])
        #expect(s3.get("product-dst", "obj", account: H.product).header("x-amz-meta-origin") == "legacy")
        // The legacy account cannot write into the product bucket without a policy.
        #expect(s3.call("PUT", "/product-dst/back", headers: [("x-amz-copy-source", "/legacy-src/obj")]).code == "AccessDenied")
    }
}
