import Foundation

extension S3Service {
    /// CreateBucket in one global namespace (AWS-NOTES §1.2, §1.4):
    /// a held name → 409 `OperationAborted` for every account (KC-409, aws/aws-cli#2593 and #2411);
    /// another account's name → 409 `BucketAlreadyExists`; your own → 409 `BucketAlreadyOwnedByYou`,
    /// except us-east-1, which answers 200 (BC-S3 error table);
    /// an explicit `us-east-1` constraint → `InvalidLocationConstraint`; a constraint that does not
    /// match a regional endpoint → `IllegalLocationConstraintException` (aws/aws-parallelcluster#1190).
    func createBucket(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let name = call.bucket
        guard S3BucketName.isValid(name) else { throw S3BucketName.invalid(name) }
        var constraint: String?
        if !call.request.body.isEmpty {
            guard let root = S3XMLElement.parse(call.request.body), root.name == "CreateBucketConfiguration" else {
                throw S3Errors.malformedXML(name)
            }
            constraint = root.string("LocationConstraint").flatMap { $0.isEmpty ? nil : $0 }
        }
        let target: String
        switch constraint {
        case nil: target = "us-east-1"
        case "EU": target = "eu-west-1"
        case let region? where region != "us-east-1" && Self.looksLikeRegion(region): target = region
        case let region?:
            throw SimError("InvalidLocationConstraint", "The specified location-constraint is not valid", status: 400, resource: region)
        }
        // The us-east-1 (global) endpoint accepts any constraint; a regional endpoint only its own.
        if call.context.region != "us-east-1" && target != call.context.region {
            throw SimError(
                "IllegalLocationConstraintException",
                "The \(constraint ?? "unspecified") location constraint is incompatible for the region specific endpoint this request was sent to.",
                status: 400, resource: name)
        }
        if s3.hold(on: name, at: call.now) != nil { throw S3Errors.operationAborted(name) }
        if let existing = s3.buckets[name] {
            guard existing.owner == call.account else {
                throw SimError(
                    "BucketAlreadyExists",
                    "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                    status: 409, resource: name)
            }
            // us-east-1 re-create of your own bucket: 200 (and S3 resets its ACLs, not modelled).
            if existing.region == "us-east-1" && target == "us-east-1" {
                return call.respond(headers: [("Location", "/\(name)")])
            }
            throw SimError(
                "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.",
                status: 409, resource: name)
        }
        let ownership = call.header("x-amz-object-ownership") ?? "BucketOwnerEnforced"
        guard ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"].contains(ownership) else {
            throw S3Errors.invalidArgument("Invalid x-amz-object-ownership header: \(ownership)", name)
        }
        if ownership == "BucketOwnerEnforced", let acl = call.header("x-amz-acl"), acl != "private", acl != "bucket-owner-full-control" {
            throw SimError(
                "InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
                status: 400, resource: name)
        }
        var bucket = S3Bucket(
            name: name, owner: call.account, region: target, created: call.now,
            configurations: S3BucketConfiguration.newBucketDefaults(objectOwnership: ownership))
        if call.header("x-amz-bucket-object-lock-enabled")?.lowercased() == "true" {
            // Object Lock turns versioning on for good (BC-S3 PutObjectLockConfiguration).
            bucket.objectLockEnabled = true
            bucket.versioning = .enabled
        }
        s3.addBucket(bucket)
        call.mutated = true
        let location = target == "us-east-1" ? "/\(name)" : "http://\(name).s3.amazonaws.com/"
        return call.respond(headers: [("Location", location)])
    }

    static func looksLikeRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count >= 3 && parts.count <= 4 && parts.first?.count == 2 && parts.last?.allSatisfy(\.isNumber) == true
            && text.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }
    }

    /// DeleteBucket: only when no object, version or delete marker is left (BC-S3 DeleteBucket);
    /// then the name is held for `configuration.bucketNameHold` simulated seconds.
    func deleteBucket(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .ownerOnly("s3:DeleteBucket", denyable: true))
        guard s3.buckets[call.bucket]?.isEmpty == true else {
            throw SimError("BucketNotEmpty", "The bucket you tried to delete is not empty", status: 409, resource: call.bucket)
        }
        s3.removeBucket(call.bucket, by: call.account, at: call.now, hold: call.context.configuration.bucketNameHold)
        call.mutated = true
        return call.respond(204)
    }

    /// HeadBucket: 200 with the region, 404 as soon as the bucket is deleted (even while its name
    /// is still held, aws/aws-cli#2593), 403 when the caller may not list it.
    func headBucket(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:ListBucket", resource: call.bucket))
        let region = s3.buckets[call.bucket]?.region ?? call.context.region
        return call.respond(headers: [("x-amz-bucket-region", region), ("x-amz-access-point-alias", "false")])
    }

    /// GetBucketLocation: empty for us-east-1 (BC-S3 GetBucketLocation).
    func getBucketLocation(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:GetBucketLocation", resource: call.bucket))
        let region = s3.buckets[call.bucket]?.region ?? "us-east-1"
        let value = region == "us-east-1" ? "" : S3XMLBuilder.escape(region)
        return call.xml(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"\(s3Namespace)\">\(value)</LocationConstraint>")
    }

    /// ListBuckets: the caller's own buckets, by name.
    func listBuckets(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        for name in Array(s3.snipes.keys) { s3.settle(name, now: call.now) }
        let prefix = call.query("prefix") ?? ""
        let regionFilter = call.query("bucket-region")
        let mine = s3.buckets.values
            .filter { $0.owner == call.account && $0.name.hasPrefix(prefix) && (regionFilter == nil || $0.region == regionFilter) }
            .sorted { $0.name < $1.name }
        var xml = S3XMLBuilder(root: "ListAllMyBucketsResult")
        xml.start("Buckets")
        for bucket in mine {
            xml.start("Bucket")
            xml.element("Name", bucket.name)
            xml.element("CreationDate", S3Time.iso8601(bucket.created))
            xml.element("BucketRegion", bucket.region)
            xml.end()
        }
        xml.end()
        xml.start("Owner")
        xml.element("ID", Self.canonicalId(call.account))
        xml.end()
        if !prefix.isEmpty { xml.element("Prefix", prefix) }
        return call.xml(xml.finish())
    }
}
