import Foundation

extension S3Service {
    // MARK: - PutObject

    /// PutObject: metadata, tags, storage class, encryption, Object Lock; `Content-MD5` and
    /// `x-amz-checksum-sha256` verified (`BadDigest`); ETag = quoted MD5 (S3UG-2023
    /// checking-object-integrity); a new version on versioned buckets.
    func putObject(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .action("s3:PutObject", resource: call.objectResource))
        var write = try S3ObjectWrite(headers: call.request)
        let payload = try S3Payload(call.request, resource: call.objectResource)
        let bucketName = call.bucket
        let key = call.key
        try checkWritePreconditions(call, s3.buckets[bucketName]!)
        try applyLockRules(&write, call, s3.buckets[bucketName]!, integrity: S3Payload.hasIntegrityHeader(call.request))
        var encrypted = write
        Self.applyDefaultEncryption(&encrypted, s3.buckets[bucketName]!)
        try Self.requireKMS(call, encrypted, "kms:GenerateDataKey")
        let account = call.account
        let now = call.now
        let version = s3.buckets[bucketName]!.versioning
        let stored = try s3.modify(bucketName) { bucket throws(SimError) in
            Self.applyDefaultEncryption(&write, bucket)
            let object = S3StoredVersion(
                key: key, versionId: version == .enabled ? bucket.newVersionId() : "null", lastModified: now,
                ownerAccount: Self.objectOwner(bucket, writer: account), body: .bytes(payload.data), write: write,
                checksums: payload.checksums, checksumType: payload.checksums.isEmpty ? nil : "FULL_OBJECT")
            bucket.append(object)
            return object
        }
        call.mutated = true
        var headers: [(name: String, value: String)] = [("ETag", stored.eTag)]
        if version == .enabled { headers.append(("x-amz-version-id", stored.versionId)) }
        headers += Self.encryptionHeaders(stored.write)
        for (algorithm, value) in stored.checksums.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-amz-checksum-\(algorithm.lowercased())", value))
        }
        if !stored.checksums.isEmpty { headers.append(("x-amz-checksum-type", "FULL_OBJECT")) }
        return call.respond(headers: headers)
    }

    /// `If-None-Match: *` and `If-Match` on writes (412 `PreconditionFailed`).
    func checkWritePreconditions(_ call: S3Call, _ bucket: S3Bucket) throws(SimError) {
        let current = bucket.current(call.key).flatMap { $0.isDeleteMarker ? nil : $0 }
        if let noneMatch = call.header("If-None-Match"), noneMatch == "*" || noneMatch == current?.eTag, current != nil {
            throw S3Errors.preconditionFailed(call.objectResource)
        }
        if let match = call.header("If-Match") {
            guard let current else { throw S3Errors.noSuchKey(call.bucket, call.key) }
            if match != "*" && Self.unquoted(match) != Self.unquoted(current.eTag) {
                throw S3Errors.preconditionFailed(call.objectResource)
            }
        }
    }

    /// Object Lock settings need a lock-enabled bucket and an integrity header; the bucket's
    /// default retention applies when none is given (BC-S3 PutObject, PutObjectLockConfiguration).
    func applyLockRules(_ write: inout S3ObjectWrite, _ call: S3Call, _ bucket: S3Bucket, integrity: Bool) throws(SimError) {
        // The object ACL the request sets, under Object Ownership and Block Public Access (S3ObjectACL.swift).
        write.grants = try Self.requestedACL(call, bucket)
        if write.setsObjectLock {
            guard bucket.objectLockEnabled else {
                throw S3Errors.invalidRequest("Bucket is missing Object Lock Configuration", call.bucket)
            }
            guard integrity else {
                throw S3Errors.invalidRequest(
                    "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters",
                    call.objectResource)
            }
        }
        if let until = write.retainUntil, until <= call.now {
            throw S3Errors.invalidArgument("The retain until date must be in the future!", call.objectResource)
        }
        if write.lockMode == nil, let rule = bucket.defaultRetention {
            write.lockMode = rule.mode
            write.retainUntil = call.now.addingTimeInterval(rule.seconds)
        }
    }

    /// SSE-S3 unless the request or the bucket's default encryption says otherwise: S3 encrypts
    /// every new object since January 2023 (BC-S3 `ServerSideEncryption`).
    static func applyDefaultEncryption(_ write: inout S3ObjectWrite, _ bucket: S3Bucket) {
        guard write.serverSideEncryption == nil else { return }
        write.serverSideEncryption = "AES256"
        guard let document = bucket.configurations[.encryption], let root = S3XMLElement.parse(Data(document.utf8)),
            let rule = root.child("Rule"), let defaults = rule.child("ApplyServerSideEncryptionByDefault")
        else { return }
        write.serverSideEncryption = defaults.string("SSEAlgorithm") ?? "AES256"
        if write.serverSideEncryption != "AES256" {
            write.sseKMSKeyId = write.sseKMSKeyId ?? defaults.string("KMSMasterKeyID")
            write.bucketKeyEnabled = rule.string("BucketKeyEnabled") == "true"
        }
    }

    static func encryptionHeaders(_ write: S3ObjectWrite) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let sse = write.serverSideEncryption { headers.append(("x-amz-server-side-encryption", sse)) }
        if let key = write.sseKMSKeyId { headers.append(("x-amz-server-side-encryption-aws-kms-key-id", key)) }
        if write.bucketKeyEnabled { headers.append(("x-amz-server-side-encryption-bucket-key-enabled", "true")) }
        return headers
    }

    static func unquoted(_ eTag: String) -> String {
        eTag.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    }

    // MARK: - GetObject / HeadObject

    /// The version a read names: the current one, or `versionId`. A current delete marker is
    /// `NoSuchKey`; naming a delete marker is 405 `MethodNotAllowed` (S3UG-2023
    /// DeleteMarker). Without `s3:ListBucket`, a missing key is 403 rather than 404 (S3UG
    /// "GetObject permissions").
    func readableVersion(_ call: S3Call, _ s3: S3State, action: String) throws(SimError) -> S3StoredVersion {
        let versionId = call.query("versionId")
        try authorize(call, s3, .action(Self.objectAction(action, versioned: versionId != nil), resource: call.objectResource))
        let bucket = s3.buckets[call.bucket]!
        let found = versionId.map { bucket.version(call.key, $0) } ?? bucket.current(call.key)
        guard let found else {
            if !mayList(call, bucket) { throw S3Errors.accessDenied(call.objectResource) }
            if versionId != nil { throw S3Errors.noSuchVersion(call.bucket, call.key) }
            throw S3Errors.noSuchKey(call.bucket, call.key)
        }
        if found.isDeleteMarker {
            if versionId != nil {
                throw SimError(
                    "MethodNotAllowed", "The specified method is not allowed against this resource.", status: 405,
                    resource: call.objectResource)
            }
            throw S3Errors.noSuchKey(call.bucket, call.key)
        }
        return found
    }

    func mayList(_ call: S3Call, _ bucket: S3Bucket) -> Bool {
        switch bucket.policy?.decision(for: call.principal, action: "s3:ListBucket", resource: "arn:aws:s3:::\(bucket.name)") {
        case .deny?: false
        case .allow?: true
        default: call.account == bucket.owner
        }
    }

    func getObject(_ call: inout S3Call, _ s3: inout S3State, head: Bool) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "GetObject")
        if !head { try Self.requireKMS(call, object.write, "kms:Decrypt") }
        let bucket = s3.buckets[call.bucket]!
        // Conditional reads (RFC 7232 as S3 applies it).
        if let match = call.header("If-Match"), match != "*", Self.unquoted(match) != Self.unquoted(object.eTag) {
            throw S3Errors.preconditionFailed(call.objectResource)
        }
        if let noneMatch = call.header("If-None-Match"), noneMatch == "*" || Self.unquoted(noneMatch) == Self.unquoted(object.eTag) {
            return call.respond(304, headers: [("ETag", object.eTag), ("Last-Modified", S3Time.httpDate(object.lastModified))])
        }
        var headers = Self.objectHeaders(object, bucket: bucket, checksumMode: call.header("x-amz-checksum-mode") == "ENABLED")
        var status = 200
        var body = Data()
        let size = object.size
        if let rangeHeader = call.header("Range"), let range = Self.parseRange(rangeHeader, size: size) {
            guard let range = range else {
                throw SimError("InvalidRange", "The requested range is not satisfiable", status: 416, resource: call.objectResource)
            }
            status = 206
            headers.removeAll { $0.name.hasPrefix("x-amz-checksum-") }
            headers.append(("Content-Range", "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"))
            headers.append(("Content-Length", String(range.upperBound - range.lowerBound + 1)))
            if !head {
                guard let bytes = object.body.slice(range).materialized() else {
                    throw S3Errors.invalidRequest(
                        "The simulator cannot serve a range this large from a synthetic object.", call.objectResource)
                }
                body = bytes
            }
        } else {
            headers.append(("Content-Length", String(size)))
            if !head {
                guard let bytes = object.body.materialized() else {
                    throw S3Errors.invalidRequest(
                        "This object is synthetic (\(size) bytes, no content held); read it with a Range of at most 64 MiB.",
                        call.objectResource)
                }
                body = bytes
            }
        }
        return call.respond(status, headers: headers, body: body)
    }

    /// `bytes=a-b`, `bytes=a-`, `bytes=-n`. Returns nil for a header S3 ignores (serving the whole
    /// object), `.some(nil)` for an unsatisfiable range (416).
    static func parseRange(_ header: String, size: Int64) -> ClosedRange<Int64>?? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int64(parts[1]), suffix > 0, size > 0 else { return .some(nil) }
            return .some(max(0, size - suffix)...(size - 1))
        }
        guard let first = Int64(parts[0]) else { return nil }
        let last = parts[1].isEmpty ? size - 1 : (Int64(parts[1]) ?? -1)
        guard last >= first || parts[1].isEmpty else { return nil }
        guard first < size else { return .some(nil) }
        return .some(first...min(last, size - 1))
    }

    /// The headers HeadObject and GetObject describe a version with.
    static func objectHeaders(
        _ object: S3StoredVersion, bucket: S3Bucket, checksumMode: Bool
    ) -> [(name: String, value: String)] {
        let write = object.write
        var headers: [(name: String, value: String)] = [
            ("ETag", object.eTag), ("Last-Modified", S3Time.httpDate(object.lastModified)), ("Accept-Ranges", "bytes"),
            ("Content-Type", write.contentType ?? "binary/octet-stream"),
        ]
        if bucket.versioning != .unversioned || object.versionId != "null" { headers.append(("x-amz-version-id", object.versionId)) }
        if let value = write.cacheControl { headers.append(("Cache-Control", value)) }
        if let value = write.contentDisposition { headers.append(("Content-Disposition", value)) }
        if let value = write.contentEncoding { headers.append(("Content-Encoding", value)) }
        if let value = write.contentLanguage { headers.append(("Content-Language", value)) }
        if let value = write.expires { headers.append(("Expires", value)) }
        if let value = write.websiteRedirectLocation { headers.append(("x-amz-website-redirect-location", value)) }
        for (name, value) in write.metadata.sorted(by: { $0.key < $1.key }) { headers.append(("x-amz-meta-\(name)", value)) }
        // S3 omits the storage class header for STANDARD.
        if write.storageClass != "STANDARD" { headers.append(("x-amz-storage-class", write.storageClass)) }
        headers += encryptionHeaders(write)
        if let mode = write.lockMode, let until = write.retainUntil {
            headers.append(("x-amz-object-lock-mode", mode))
            headers.append(("x-amz-object-lock-retain-until-date", S3Time.iso8601(until)))
        }
        if bucket.objectLockEnabled || write.legalHold { headers.append(("x-amz-object-lock-legal-hold", write.legalHold ? "ON" : "OFF")) }
        // GET and HEAD both carry the count (botocore: TagCount in GetObjectOutput and HeadObjectOutput).
        if !write.tags.isEmpty { headers.append(("x-amz-tagging-count", String(write.tags.count))) }
        if checksumMode && !object.checksums.isEmpty {
            for (algorithm, value) in object.checksums.sorted(by: { $0.key < $1.key }) {
                headers.append(("x-amz-checksum-\(algorithm.lowercased())", value))
            }
            headers.append(("x-amz-checksum-type", object.checksumType ?? "FULL_OBJECT"))
        }
        return headers
    }

    // MARK: - DeleteObject / DeleteObjects

    struct DeleteOutcome {
        var versionId: String?
        var deleteMarker: Bool
        var deleteMarkerVersionId: String?
    }

    /// One delete, as DeleteObject and each key of DeleteObjects perform it (BC-S3; S3UG-2023
    /// DeletingObjectVersions): without a version, a delete marker on versioned buckets (a
    /// `null` one when suspended) or removal of the `null` version; with a version, permanent
    /// removal unless Object Lock retention or a legal hold protects it (403 `AccessDenied`;
    /// GOVERNANCE yields to `x-amz-bypass-governance-retention: true`, COMPLIANCE never,
    /// AWS-NOTES §2).
    static func deleteOne(
        _ bucket: inout S3Bucket, key: String, versionId: String?, bypassGovernance: Bool, account: String, now: Date
    ) throws(SimError) -> DeleteOutcome {
        if let versionId {
            guard let existing = bucket.version(key, versionId) else { return DeleteOutcome(versionId: versionId, deleteMarker: false) }
            if existing.lockBlocksDelete(now: now, bypassGovernance: bypassGovernance) {
                throw S3Errors.accessDenied("\(bucket.name)/\(key)")
            }
            bucket.remove(key, versionId: versionId)
            return DeleteOutcome(
                versionId: versionId, deleteMarker: existing.isDeleteMarker,
                deleteMarkerVersionId: existing.isDeleteMarker ? versionId : nil)
        }
        switch bucket.versioning {
        case .unversioned:
            bucket.remove(key, versionId: "null")
            return DeleteOutcome(versionId: nil, deleteMarker: false)
        case .enabled, .suspended:
            let id = bucket.versioning == .enabled ? bucket.newVersionId() : "null"
            bucket.append(
                S3StoredVersion(key: key, versionId: id, isDeleteMarker: true, lastModified: now, ownerAccount: account, eTag: ""))
            return DeleteOutcome(versionId: id, deleteMarker: true, deleteMarkerVersionId: id)
        }
    }

    func bypassRequested(_ call: S3Call, _ s3: S3State) -> Bool {
        guard call.header("x-amz-bypass-governance-retention")?.lowercased() == "true", let bucket = s3.buckets[call.bucket] else {
            return false
        }
        if call.account == bucket.owner { return true }
        return bucket.policy?.decision(
            for: call.principal, action: "s3:BypassGovernanceRetention", resource: "arn:aws:s3:::\(call.objectResource)") == .allow
    }

    func deleteObject(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let versionId = call.query("versionId")
        try authorize(call, s3, .action(Self.objectAction("DeleteObject", versioned: versionId != nil), resource: call.objectResource))
        let bypass = bypassRequested(call, s3)
        let (key, account, now) = (call.key, call.account, call.now)
        let outcome = try s3.modify(call.bucket) { bucket throws(SimError) in
            try Self.deleteOne(&bucket, key: key, versionId: versionId, bypassGovernance: bypass, account: account, now: now)
        }
        call.mutated = true
        var headers: [(name: String, value: String)] = []
        if outcome.deleteMarker { headers.append(("x-amz-delete-marker", "true")) }
        if let id = outcome.versionId { headers.append(("x-amz-version-id", id)) }
        return call.respond(204, headers: headers)
    }

    /// DeleteObjects: at most 1,000 keys, an integrity header required, per-key results in a 200,
    /// `Quiet` reporting only failures (BC-S3 DeleteObjects; AWS-NOTES §2).
    func deleteObjects(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        try authorize(call, s3, .existence)
        guard S3Payload.hasIntegrityHeader(call.request) else {
            throw S3Errors.invalidRequest("Missing required header for this request: Content-MD5", call.bucket)
        }
        let payload = try S3Payload(call.request, resource: call.bucket)
        guard let root = S3XMLElement.parse(payload.data), root.name == "Delete" else { throw S3Errors.malformedXML(call.bucket) }
        let objects = root.children("Object")
        guard !objects.isEmpty, objects.count <= 1000 else { throw S3Errors.malformedXML(call.bucket) }
        let quiet = root.string("Quiet")?.lowercased() == "true"
        let bypass = bypassRequested(call, s3)
        let policy = s3.buckets[call.bucket]!.policy
        let owner = s3.buckets[call.bucket]!.owner
        var xml = S3XMLBuilder(root: "DeleteResult")
        var changed = false
        for object in objects {
            guard let key = object.string("Key") else { throw S3Errors.malformedXML(call.bucket) }
            let versionId = object.string("VersionId")
            let action = Self.objectAction("DeleteObject", versioned: versionId != nil)
            let decision = policy?.decision(for: call.principal, action: action, resource: "arn:aws:s3:::\(call.bucket)/\(key)")
            let permitted = decision == .allow || (decision != .deny && call.account == owner)
            let (account, now) = (call.account, call.now)
            var result: Result<DeleteOutcome, SimError>
            if permitted {
                do throws(SimError) {
                    result = .success(
                        try s3.modify(call.bucket) { bucket throws(SimError) in
                            try Self.deleteOne(
                                &bucket, key: key, versionId: versionId, bypassGovernance: bypass, account: account, now: now)
                        })
                } catch {
                    result = .failure(error)
                }
            } else {
                result = .failure(S3Errors.accessDenied())
            }
            switch result {
            case .success(let outcome):
                changed = true
                if quiet { continue }
                xml.start("Deleted")
                xml.element("Key", key)
                xml.optional("VersionId", versionId)
                if outcome.deleteMarker {
                    xml.element("DeleteMarker", "true")
                    xml.optional("DeleteMarkerVersionId", outcome.deleteMarkerVersionId)
                }
                xml.end()
            case .failure(let error):
                xml.start("Error")
                xml.element("Key", key)
                xml.optional("VersionId", versionId)
                xml.element("Code", error.code)
                xml.element("Message", error.message)
                xml.end()
            }
        }
        call.mutated = changed
        return call.xml(xml.finish())
    }

    // MARK: - Tagging, retention, legal hold, attributes

    func getObjectTagging(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "GetObjectTagging")
        var xml = S3XMLBuilder(root: "Tagging")
        xml.start("TagSet")
        for tag in object.write.tags {
            xml.start("Tag")
            xml.element("Key", tag.key)
            xml.element("Value", tag.value)
            xml.end()
        }
        xml.end()
        return call.xml(xml.finish(), headers: versionHeader(object, call, s3))
    }

    func putObjectTagging(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "PutObjectTagging")
        let tags = try Self.parseTagging(call.request.body, resource: call.objectResource)
        try S3ObjectWrite.validate(tags)
        try s3.modify(call.bucket) { bucket in bucket.update(object.key, versionId: object.versionId) { $0.write.tags = tags } }
        call.mutated = true
        return call.respond(headers: versionHeader(object, call, s3))
    }

    func deleteObjectTagging(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "DeleteObjectTagging")
        try s3.modify(call.bucket) { bucket in bucket.update(object.key, versionId: object.versionId) { $0.write.tags = [] } }
        call.mutated = true
        return call.respond(204, headers: versionHeader(object, call, s3))
    }

    /// `x-amz-version-id`, except for the `null` version of a bucket that was never versioned.
    func versionHeader(_ object: S3StoredVersion, _ call: S3Call, _ s3: S3State) -> [(name: String, value: String)] {
        object.versionId == "null" && s3.buckets[call.bucket]?.versioning == .unversioned ? [] : [("x-amz-version-id", object.versionId)]
    }

    /// `<Tagging><TagSet><Tag><Key/><Value/></Tag>…` (PutObjectTagging, PutBucketTagging).
    static func parseTagging(_ body: Data, resource: String) throws(SimError) -> [S3TagPair] {
        guard let root = S3XMLElement.parse(body), root.name == "Tagging", let set = root.child("TagSet") else {
            throw S3Errors.malformedXML(resource)
        }
        var tags: [S3TagPair] = []
        for tag in set.children("Tag") {
            guard let key = tag.string("Key") else { throw S3Errors.malformedXML(resource) }
            tags.append(S3TagPair(key: key, value: tag.child("Value")?.text ?? ""))
        }
        return tags
    }

    func requireLockBucket(_ call: S3Call, _ s3: S3State) throws(SimError) {
        guard s3.buckets[call.bucket]?.objectLockEnabled == true else {
            throw S3Errors.invalidRequest("Bucket is missing Object Lock Configuration", call.bucket)
        }
    }

    func getObjectRetention(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "GetObjectRetention")
        try requireLockBucket(call, s3)
        guard let mode = object.write.lockMode, let until = object.write.retainUntil else {
            throw SimError(
                "NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", status: 404,
                resource: call.objectResource)
        }
        var xml = S3XMLBuilder(root: "Retention")
        xml.element("Mode", mode)
        xml.element("RetainUntilDate", S3Time.iso8601(until))
        return call.xml(xml.finish())
    }

    /// PutObjectRetention: COMPLIANCE can only be extended; shortening or removing GOVERNANCE
    /// needs the bypass header (S3UG-2023 object-lock-overview).
    func putObjectRetention(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "PutObjectRetention")
        try requireLockBucket(call, s3)
        guard let root = S3XMLElement.parse(call.request.body), root.name == "Retention" else {
            throw S3Errors.malformedXML(call.objectResource)
        }
        let mode = root.string("Mode")
        let until = root.string("RetainUntilDate").flatMap(S3Time.parseISO8601)
        if let mode, mode != "GOVERNANCE" && mode != "COMPLIANCE" { throw S3Errors.malformedXML(call.objectResource) }
        if let until, until <= call.now {
            throw S3Errors.invalidArgument("The retain until date must be in the future!", call.objectResource)
        }
        if let current = object.write.retainUntil, current > call.now {
            let weakens = until.map { $0 < current } ?? true || (object.write.lockMode == "COMPLIANCE" && mode != "COMPLIANCE")
            if weakens && (object.write.lockMode == "COMPLIANCE" || !bypassRequested(call, s3)) {
                throw S3Errors.accessDenied(call.objectResource)
            }
        }
        try s3.modify(call.bucket) { bucket in
            bucket.update(object.key, versionId: object.versionId) {
                $0.write.lockMode = mode
                $0.write.retainUntil = until
            }
        }
        call.mutated = true
        return call.respond()
    }

    func getObjectLegalHold(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "GetObjectLegalHold")
        try requireLockBucket(call, s3)
        var xml = S3XMLBuilder(root: "LegalHold")
        xml.element("Status", object.write.legalHold ? "ON" : "OFF")
        return call.xml(xml.finish())
    }

    func putObjectLegalHold(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "PutObjectLegalHold")
        try requireLockBucket(call, s3)
        guard let root = S3XMLElement.parse(call.request.body), root.name == "LegalHold",
            let status = root.string("Status"), status == "ON" || status == "OFF"
        else { throw S3Errors.malformedXML(call.objectResource) }
        try s3.modify(call.bucket) { bucket in
            bucket.update(object.key, versionId: object.versionId) { $0.write.legalHold = status == "ON" }
        }
        call.mutated = true
        return call.respond()
    }

    /// GetObjectAttributes: ETag (unquoted here, unlike HeadObject), Checksum, ObjectParts,
    /// StorageClass, ObjectSize (BC-S3; AWS-NOTES §3.3).
    func getObjectAttributes(_ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        let object = try readableVersion(call, s3, action: "GetObjectAttributes")
        guard let requested = call.header("x-amz-object-attributes") else {
            throw S3Errors.invalidRequest("Missing required header for this request: x-amz-object-attributes", call.objectResource)
        }
        let names = Set(requested.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let known: Set<String> = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]
        guard !names.isEmpty, names.isSubset(of: known) else {
            throw S3Errors.invalidArgument("Invalid attribute name specified.", call.objectResource)
        }
        var xml = S3XMLBuilder(root: "GetObjectAttributesResponse")
        if names.contains("ETag") { xml.element("ETag", Self.unquoted(object.eTag)) }
        if names.contains("Checksum"), !object.checksums.isEmpty {
            xml.start("Checksum")
            for (algorithm, value) in object.checksums.sorted(by: { $0.key < $1.key }) { xml.element("Checksum\(algorithm)", value) }
            xml.element("ChecksumType", object.checksumType ?? "FULL_OBJECT")
            xml.end()
        }
        if names.contains("ObjectParts"), !object.parts.isEmpty {
            let maxParts = min(1000, Int(call.header("x-amz-max-parts") ?? "") ?? 1000)
            let marker = Int(call.header("x-amz-part-number-marker") ?? "") ?? 0
            let remaining = object.parts.filter { $0.partNumber > marker }
            let page = remaining.prefix(maxParts)
            xml.start("ObjectParts")
            xml.element("TotalPartsCount", String(object.parts.count))
            xml.element("PartNumberMarker", String(marker))
            xml.element("NextPartNumberMarker", String(page.last?.partNumber ?? marker))
            xml.element("MaxParts", String(maxParts))
            xml.element("IsTruncated", remaining.count > page.count ? "true" : "false")
            for part in page {
                xml.start("Part")
                xml.element("PartNumber", String(part.partNumber))
                xml.element("Size", String(part.size))
                xml.optional("ChecksumSHA256", part.checksumSHA256)
                xml.end()
            }
            xml.end()
        }
        if names.contains("StorageClass") { xml.element("StorageClass", object.write.storageClass) }
        if names.contains("ObjectSize") { xml.element("ObjectSize", String(object.size)) }
        var headers: [(name: String, value: String)] = [("Last-Modified", S3Time.httpDate(object.lastModified))]
        headers += versionHeader(object, call, s3)
        return call.xml(xml.finish(), headers: headers)
    }
}
