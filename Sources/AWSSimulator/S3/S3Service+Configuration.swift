import Foundation

extension S3Service {
    /// Configurations whose PUT must carry Content-MD5 or a checksum (BC-S3 `httpChecksum
    /// requestChecksumRequired`; AWS-NOTES §4).
    static let checksumRequired: Set<S3BucketConfiguration> = [
        .policy, .versioning, .encryption, .cors, .lifecycle, .tagging, .publicAccessBlock, .ownershipControls, .replication, .objectLock,
    ]

    /// Get/Put/Delete of a bucket sub-resource: owner-only; documents stored verbatim and returned;
    /// "not configured" as each sub-resource's own 404 or AWS's empty document (AWS-NOTES §4).
    func bucketConfiguration(
        _ configuration: S3BucketConfiguration, _ verb: String, _ call: inout S3Call, _ s3: inout S3State
    ) throws(SimError) -> SimResponse {
        try authorize(call, s3, .ownerOnly("s3:\(verb)\(configuration.operationStem)", denyable: configuration != .policy))
        let name = call.bucket
        switch verb {
        case "Get": return try getConfiguration(configuration, call, s3.buckets[name]!)
        case "Delete":
            try s3.modify(name) { bucket in
                if configuration == .encryption {
                    // DeleteBucketEncryption resets to SSE-S3 rather than removing encryption (BC-S3).
                    bucket.configurations[.encryption] = S3BucketConfiguration.sseS3Default
                } else if configuration == .policy {
                    try? bucket.setPolicy(nil)
                } else {
                    bucket.configurations[configuration] = nil
                }
            }
            call.mutated = true
            return call.respond(204)
        default:
            try putConfiguration(configuration, call, &s3)
            call.mutated = true
            // PutBucketPolicy and PutBucketTagging answer 204 No Content (S3 API reference examples;
            // versity/versitygw#932 for tagging); the other configuration PUTs answer 200.
            return call.respond(configuration == .policy || configuration == .tagging ? 204 : 200)
        }
    }

    private func getConfiguration(
        _ configuration: S3BucketConfiguration, _ call: S3Call, _ bucket: S3Bucket
    ) throws(SimError) -> SimResponse {
        switch configuration {
        case .versioning:
            guard bucket.versioning != .unversioned else { return call.xml(configuration.defaultDocument!) }
            var xml = S3XMLBuilder(root: "VersioningConfiguration")
            xml.element("Status", bucket.versioning.rawValue)
            xml.optional("MfaDelete", bucket.mfaDelete)
            return call.xml(xml.finish())
        case .objectLock:
            if let document = bucket.configurations[.objectLock] { return call.xml(document) }
            guard bucket.objectLockEnabled else { throw configuration.notConfigured!.with(resource: bucket.name) }
            var xml = S3XMLBuilder(root: "ObjectLockConfiguration")
            xml.element("ObjectLockEnabled", "Enabled")
            return call.xml(xml.finish())
        case .policy:
            guard let policy = bucket.configurations[.policy] else { throw configuration.notConfigured!.with(resource: bucket.name) }
            return call.respond(headers: [("Content-Type", "application/json")], body: Data(policy.utf8))
        default:
            if let document = bucket.configurations[configuration] { return call.xml(document) }
            if let error = configuration.notConfigured { throw error.with(resource: bucket.name) }
            return call.xml(configuration.defaultDocument ?? "")
        }
    }

    private func putConfiguration(_ configuration: S3BucketConfiguration, _ call: S3Call, _ s3: inout S3State) throws(SimError) {
        let name = call.bucket
        if Self.checksumRequired.contains(configuration) && !S3Payload.hasIntegrityHeader(call.request) {
            throw S3Errors.invalidRequest("Missing required header for this request: Content-MD5", name)
        }
        let payload = try S3Payload(call.request, resource: name)
        let text = String(decoding: payload.data, as: UTF8.self)
        if configuration == .policy {
            let policy = try S3BucketPolicy.parse(text, bucket: name)
            _ = policy
            try s3.modify(name) { bucket throws(SimError) in try bucket.setPolicy(text) }
            return
        }
        guard let root = S3XMLElement.parse(payload.data), root.name == configuration.rootElement else {
            throw S3Errors.malformedXML(name)
        }
        let bucket = s3.buckets[name]!
        switch configuration {
        case .versioning:
            let status = root.string("Status")
            guard status == nil || status == "Enabled" || status == "Suspended" else { throw S3Errors.malformedXML(name) }
            if status == "Suspended" && bucket.objectLockEnabled {
                throw SimError(
                    "InvalidBucketState",
                    "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
                    status: 409, resource: name)
            }
            let mfa = root.string("MfaDelete")
            try s3.modify(name) { bucket in
                if let status { bucket.versioning = status == "Enabled" ? .enabled : .suspended }
                if let mfa { bucket.mfaDelete = mfa }
            }
            return
        case .objectLock:
            guard root.string("ObjectLockEnabled") == "Enabled" else { throw S3Errors.malformedXML(name) }
            guard bucket.versioning == .enabled else {
                throw SimError(
                    "InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", status: 409,
                    resource: name)
            }
        case .replication:
            guard bucket.versioning == .enabled else {
                throw S3Errors.invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration", name)
            }
        case .tagging:
            let tags = try Self.parseTagging(payload.data, resource: name)
            if tags.count > 50 { throw SimError("InvalidTag", "Bucket tag count cannot be greater than 50", status: 400, resource: name) }
            if Set(tags.map(\.key)).count != tags.count {
                throw SimError("InvalidTag", "Cannot provide multiple Tags with the same key", status: 400, resource: name)
            }
        default:
            break
        }
        try s3.modify(name) { bucket in
            bucket.configurations[configuration] = text
            if configuration == .objectLock {
                bucket.objectLockEnabled = true
                bucket.applyLockConfiguration(root)
            }
        }
    }
}

extension SimError {
    func with(resource: String) -> SimError {
        var copy = self
        copy.resource = resource
        return copy
    }
}
