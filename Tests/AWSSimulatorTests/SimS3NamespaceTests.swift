import AWSSimulator
import Foundation
import Testing

/// The global bucket namespace across accounts: name hold after DeleteBucket, sniping,
/// BucketAlreadyExists / BucketAlreadyOwnedByYou, LocationConstraint rules (AWS-NOTES §1).
@Suite("simulated S3: bucket namespace")
struct SimS3NamespaceTests {
    typealias H = SimS3Harness

    @Test func deletedNameIsHeldForEveryAccountWhileHeadBucketAlreadyAnswers404() {
        var s3 = H()
        #expect(s3.createBucket("popinfo-assets").status == 200)
        let deleted = s3.call("DELETE", "/popinfo-assets")
        #expect(deleted.status == 204)
        #expect(deleted.mutated)

        // aws/aws-cli#2593: HeadBucket says gone, CreateBucket still refuses — from both accounts.
        s3.advance(60)
        #expect(s3.call("HEAD", "/popinfo-assets", account: H.product).status == 404)
        let fromProduct = s3.createBucket("popinfo-assets", account: H.product)
        #expect(fromProduct.status == 409)
        #expect(fromProduct.code == "OperationAborted")
        #expect(
            fromProduct.element("Message")
                == "A conflicting conditional operation is currently in progress against this resource. Please try again.")
        #expect(fromProduct.element("BucketName") == "popinfo-assets")
        #expect(s3.createBucket("popinfo-assets", account: H.legacy).code == "OperationAborted")
        #expect(s3.state.s3.nameHolds["popinfo-assets"]?.deletedAt == s3.now.addingTimeInterval(-60))

        // Still held one second before the configured hold ends; free at the end.
        s3.advance(s3.configuration.bucketNameHold - 61)
        #expect(s3.createBucket("popinfo-assets", account: H.product).code == "OperationAborted")
        s3.advance(1)
        let created = s3.createBucket("popinfo-assets", account: H.product)
        #expect(created.status == 200)
        #expect(s3.state.s3.buckets["popinfo-assets"]?.owner == H.product)
        #expect(s3.call("HEAD", "/popinfo-assets", account: H.product).status == 200)
        // The old owner now gets BucketAlreadyExists: the name moved.
        #expect(s3.createBucket("popinfo-assets", account: H.legacy).code == "BucketAlreadyExists")
    }

    @Test func holdDurationFollowsConfiguration() {
        var s3 = H()
        s3.configuration.bucketNameHold = 48 * 3600
        s3.createBucket("held-two-days")
        s3.call("DELETE", "/held-two-days")
        s3.advance(47 * 3600)
        #expect(s3.createBucket("held-two-days", account: H.product).code == "OperationAborted")
        s3.advance(3600)
        #expect(s3.createBucket("held-two-days", account: H.product).status == 200)
    }

    @Test func snipedNameAnswersBucketAlreadyExistsOnceTheHoldEnds() {
        var s3 = H()
        s3.createBucket("popinfo-media")
        s3.call("DELETE", "/popinfo-media")
        // The squatter is scheduled for 10 minutes after the delete: the hold (1 h) delays it.
        s3.state.s3.scheduleNameSnipe(bucket: "popinfo-media", byAccount: H.squatter, at: s3.now.addingTimeInterval(600))
        s3.advance(1800)
        #expect(s3.createBucket("popinfo-media", account: H.product).code == "OperationAborted")
        s3.advance(1800)
        let late = s3.createBucket("popinfo-media", account: H.product)
        #expect(late.status == 409)
        #expect(late.code == "BucketAlreadyExists")
        #expect(s3.state.s3.buckets["popinfo-media"]?.owner == H.squatter)
        // HeadBucket from the cutover's account: someone else's bucket → 403 (BucketExists waiter treats it as "exists").
        #expect(s3.call("HEAD", "/popinfo-media", account: H.product).status == 403)
    }

    @Test func snipeScheduledAfterTheHoldTakesTheNameOnlyWhenItsTimeComes() {
        var s3 = H()
        s3.createBucket("race-me")
        s3.call("DELETE", "/race-me")
        s3.state.s3.scheduleNameSnipe(bucket: "race-me", byAccount: H.squatter, at: s3.now.addingTimeInterval(7200))
        s3.advance(3600)
        // Hold over, squatter not yet there: the cutover wins the race.
        #expect(s3.createBucket("race-me", account: H.product).status == 200)
        s3.advance(7200)
        #expect(s3.state.s3.buckets["race-me"]?.owner == H.product)
    }

    @Test func recreatingYourOwnBucketIs200InUsEast1AndAlreadyOwnedElsewhere() {
        var s3 = H()
        s3.createBucket("east-bucket")
        let again = s3.createBucket("east-bucket")
        #expect(again.status == 200)
        #expect(!again.mutated)

        s3.configuration.region = "eu-west-1"
        #expect(s3.createBucket("west-bucket", region: "eu-west-1").status == 200)
        let west = s3.createBucket("west-bucket", region: "eu-west-1")
        #expect(west.status == 409)
        #expect(west.code == "BucketAlreadyOwnedByYou")
    }

    @Test func anotherAccountsNameIsBucketAlreadyExistsInEveryRegion() {
        var s3 = H()
        s3.createBucket("taken-name")
        #expect(s3.createBucket("taken-name", account: H.product).code == "BucketAlreadyExists")
        #expect(s3.createBucket("taken-name", account: H.product, region: "eu-west-1").code == "BucketAlreadyExists")
    }

    @Test func locationConstraintRules() {
        var s3 = H()
        let explicitEast = s3.call(
            "PUT", "/explicit-east",
            body: Data("<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>".utf8))
        #expect(explicitEast.status == 400)
        #expect(explicitEast.code == "InvalidLocationConstraint")

        // A regional endpoint without a matching constraint.
        let unspecified = s3.call("PUT", "/no-constraint", region: "eu-west-1")
        #expect(unspecified.code == "IllegalLocationConstraintException")
        #expect(unspecified.element("Message")?.contains("unspecified location constraint is incompatible") == true)
        let mismatch = s3.createBucket("mismatch", region: "eu-central-1")
        #expect(mismatch.status == 200)
        let wrongEndpoint = s3.call(
            "PUT", "/wrong-endpoint",
            body: Data("<CreateBucketConfiguration><LocationConstraint>eu-west-2</LocationConstraint></CreateBucketConfiguration>".utf8),
            region: "eu-west-1")
        #expect(wrongEndpoint.code == "IllegalLocationConstraintException")

        // The us-east-1 endpoint may create in any region; GetBucketLocation reports it.
        let anywhere = s3.call(
            "PUT", "/from-global",
            body: Data("<CreateBucketConfiguration><LocationConstraint>ap-south-1</LocationConstraint></CreateBucketConfiguration>".utf8))
        #expect(anywhere.status == 200)
        #expect(s3.call("GET", "/from-global", query: "location").element("LocationConstraint") == nil)
        #expect(s3.call("GET", "/from-global", query: "location").text.contains(">ap-south-1</LocationConstraint>"))
        #expect(s3.call("GET", "/explicit-east-ok", query: "location").code == "NoSuchBucket")
        s3.createBucket("east-home")
        #expect(s3.call("GET", "/east-home", query: "location").text.contains("/\"></LocationConstraint>"))
        #expect(s3.call("HEAD", "/from-global").header("x-amz-bucket-region") == "ap-south-1")
    }

    @Test(arguments: [
        "ab", "Bad_Name", "UPPER", "-leading", "trailing-", "two..dots", "192.168.1.1", "xn--punycode", String(repeating: "a", count: 64),
    ])
    func invalidBucketNamesAreRefused(_ name: String) {
        var s3 = H()
        let answer = s3.createBucket(name)
        #expect(answer.status == 400)
        #expect(answer.code == "InvalidBucketName")
    }

    @Test func newBucketsHaveTodaysDefaultsAndLegacySeedsDoNot() throws {
        var s3 = H()
        s3.createBucket("modern")
        #expect(s3.call("GET", "/modern", query: "ownershipControls").text.contains("BucketOwnerEnforced"))
        #expect(s3.call("GET", "/modern", query: "encryption").text.contains("AES256"))
        try s3.state.s3.seedBucket("legacy-bucket", account: H.legacy, created: s3.now, modernDefaults: false)
        #expect(s3.call("GET", "/legacy-bucket", query: "ownershipControls").code == "OwnershipControlsNotFoundError")
        #expect(s3.call("GET", "/legacy-bucket", query: "encryption").code == "ServerSideEncryptionConfigurationNotFoundError")
    }

    @Test func listBucketsShowsOnlyTheCallersBuckets() {
        var s3 = H()
        s3.createBucket("mine-a")
        s3.createBucket("mine-b")
        s3.createBucket("theirs", account: H.product)
        let list = s3.call("GET", "/")
        #expect(list.operation == "ListBuckets")
        #expect(list.elements("Name") == ["mine-a", "mine-b"])
    }

    @Test func virtualHostAddressingNamesTheBucketFromTheHost() {
        var s3 = H()
        s3.createBucket("vhost-bucket")
        let put = s3.call("PUT", "/dir/file.txt", headers: [("Host", "vhost-bucket.s3.us-east-1.amazonaws.com")], body: Data("x".utf8))
        #expect(put.operation == "PutObject")
        #expect(put.resource == "vhost-bucket/dir/file.txt")
        #expect(s3.get("vhost-bucket", "dir/file.txt").text == "x")
    }
}

@Suite("simulated S3: seeding")
struct SimS3SeedingTests {
    @Test func demoBucketSeedFromJSON() throws {
        let json = """
            {"name": "popinfo-assets", "account": "111111111111", "versioning": "Enabled",
             "policy": "{\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":{\\"AWS\\":\\"222222222222\\"},\\"Action\\":\\"s3:GetObject\\",\\"Resource\\":\\"arn:aws:s3:::popinfo-assets/*\\"}]}",
             "objects": [{"key": "big.bin", "size": 6442450944}],
             "generated": {"count": 25, "prefix": "data/", "size": 100, "versions": 2, "tags": {"tier": "gold"}}}
            """
        let seed = try JSONDecoder().decode(S3BucketSeed.self, from: Data(json.utf8))
        let simulator = Simulator(clock: VirtualClock())
        let bucket = try simulator.seed(seed)
        #expect(bucket.owner == "111111111111")
        #expect(bucket.keys.count == 26)
        #expect(simulator.objectVersions(bucket: "popinfo-assets", key: "data/00007").count == 2)
        #expect(simulator.object(bucket: "popinfo-assets", key: "data/00007")?.write.tags == [S3TagPair(key: "tier", value: "gold")])
        #expect(simulator.object(bucket: "popinfo-assets", key: "big.bin")?.size == 6 << 30)
        #expect(simulator.bucketConfiguration(.policy, bucket: "popinfo-assets")?.contains("222222222222") == true)
    }

    @Test func simulatorSeedingAndNameHoldInspection() throws {
        let clock = VirtualClock()
        let simulator = Simulator(configuration: SimConfiguration(bucketNameHold: 600), clock: clock)
        try simulator.seedBucket("inspected", account: "111111111111", versioning: .enabled)
        try simulator.seedObject(bucket: "inspected", key: "k", body: Data("v".utf8), checksumSHA256: true)
        try simulator.seedDeleteMarker(bucket: "inspected", key: "k")
        #expect(simulator.objectVersions(bucket: "inspected", key: "k").map(\.isDeleteMarker) == [false, true])
        #expect(simulator.object(bucket: "inspected", key: "k")?.isDeleteMarker == true)
        #expect(!simulator.isNameHeld("inspected"))
        simulator.scheduleNameSnipe(bucket: "free-name", byAccount: "333333333333", at: clock.now().addingTimeInterval(10))
        #expect(simulator.bucket("free-name") == nil)
        clock.advance(by: 10)
        #expect(simulator.bucket("free-name")?.owner == "333333333333")
    }
}
