import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// The read-only S3 checks of `cutoverctl plan --preflight` for every `s3.move-bucket` in a plan:
/// what the source holds, what would block emptying it (Object Lock retention, legal holds, MFA
/// delete), encryption that the move cannot carry as is (the AWS managed `aws/s3` key), whether
/// the staging name is free, and the name-hold risk. Nothing is changed and nothing journaled.
public struct S3Preflight: Sendable {
    /// One finding, with what to do about it when it is not `ok`.
    public struct Item: Sendable, Equatable {
        public enum Severity: String, Sendable, Equatable {
            case ok, warning
            /// The move would fail at or after its point of no return: fix it first.
            case blocker
        }

        public var account: String?
        public var check: String
        public var severity: Severity
        public var detail: String
    }

    let sessions: any AccountSessions
    /// At most this many objects are inspected one by one (HEAD) for encryption; Object Lock
    /// inspects every version when the bucket has Object Lock.
    let inspectLimit: Int
    /// The time retention dates are compared with.
    let now: @Sendable () -> Date

    public init(sessions: any AccountSessions, inspectLimit: Int = 1000, now: @escaping @Sendable () -> Date) {
        self.sessions = sessions
        self.inspectLimit = inspectLimit
        self.now = now
    }

    /// The checks of every same-name move in `plan` (none when it has none).
    public func run(_ plan: RunbookPlan) async -> [Item] {
        var items: [Item] = []
        for copy in plan.steps where copy.type == S3PrimitiveType.copyObjects {
            items += await copyObjectACLs(copy)
        }
        for capture in plan.steps where capture.type == S3PrimitiveType.captureConfig {
            guard let account = capture.inputs["account"]?.stringValue, let bucket = capture.inputs["bucket"]?.stringValue,
                let target = capture.inputs["targetAccount"]?.stringValue
            else { continue }
            let staging = plan.steps.first { $0.origin == capture.origin && $0.type == S3PrimitiveType.ensureBucket }
            var mapped: Set<String> = []
            if case .object(let members)? = capture.inputs["kmsKeyMap"] { mapped = Set(members.map(\.0)) }
            let copy = plan.steps.first {
                $0.origin == capture.origin && ($0.type == S3PrimitiveType.copyObjects || $0.type == S3PrimitiveType.batchCopy)
            }
            items += await source(bucket, account: account, mappedKeys: mapped, copy: copy)
            if case .object(let members)? = capture.inputs["kmsKeyMap"] {
                let pairs = members.compactMap { key, value in value.stringValue.map { (key, $0) } }
                items += await kmsKeyPolicies(sourceAccount: account, targetAccount: target, keyMap: pairs)
            }
            if let name = staging?.inputs["bucket"]?.stringValue, let owner = staging?.inputs["account"]?.stringValue {
                items.append(await stagingName(name, account: owner))
            }
            items.append(
                Item(
                    account: nil, check: "bucket-name-hold", severity: .warning,
                    detail: "after \(bucket) is deleted in \(account), AWS may hold the name for up to 48–72 h, and once it is free "
                        + "any AWS account can take it; the forced wait and re-create loop cover the usual hour, then the run "
                        + "asks you (retry, retry slowly, or roll back, which needs the same name back in \(account)). Target: \(target)"))
        }
        return items
    }

    // MARK: Source

    private func source(_ bucket: String, account: String, mappedKeys: Set<String>, copy: PlannedStep? = nil) async -> [Item] {
        do {
            let session = try await S3Session.open(sessions, account)
            guard try await session.read(bucket, { try await $0.headBucket(bucket) }) != nil else {
                return [
                    Item(
                        account: account, check: "source-bucket", severity: .blocker,
                        detail: "\(bucket) does not exist in \(session.label); check `with.bucket` and `with.from`")
                ]
            }
            var items: [Item] = []
            var versions: [S3ObjectVersion] = []
            var markers = 0
            for try await page in session.client.listObjectVersionsPages(bucket: bucket) {
                versions += page.versions
                markers += page.deleteMarkers.count
            }
            let current = versions.filter(\.isLatest)
            let bytes = current.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
            items.append(
                Item(
                    account: account, check: "source-objects", severity: .ok,
                    detail: "\(bucket) holds \(current.count) objects, \(Self.format(bytes: bytes)); emptying it deletes "
                        + "\(versions.count) versions and \(markers) delete markers"))

            let versioning = try await session.read(bucket) { try await $0.getBucketSubresource(.versioning, bucket: bucket) }
            items += Self.history(
                bucket, account: account, versions: versions, markers: markers, versioning: versioning?.document, copy: copy)
            if versioning?.document.contains("<MfaDelete>Enabled</MfaDelete>") == true {
                items.append(
                    Item(
                        account: account, check: "mfa-delete", severity: .blocker,
                        detail: "\(bucket) has MFA delete enabled: every version delete needs the root user's MFA code, so it cannot "
                            + "be emptied automatically. The root user of \(session.label) must disable MFA delete first."))
            }
            items += try await objectLock(bucket, session: session, versions: versions)
            items += try await encryption(bucket, session: session, current: current, mappedKeys: mappedKeys)
            items += try await objectACLs(bucket, session: session, keys: current.map(\.key), copy: copy)
            return items
        } catch {
            return [
                Item(
                    account: account, check: "source-bucket", severity: .blocker,
                    detail: "cannot read \(bucket): \(StepError(error).description)")
            ]
        }
    }

    /// Retained or legally held versions cannot be deleted, so the bucket cannot be emptied.
    private func objectLock(_ bucket: String, session: S3Session, versions: [S3ObjectVersion]) async throws -> [Item] {
        let lock = try await session.read(bucket) { try await $0.getBucketSubresource(.objectLock, bucket: bucket) }
        guard let document = lock?.document, document.contains("<ObjectLockEnabled>Enabled</ObjectLockEnabled>") else {
            return [Item(account: session.account, check: "object-lock", severity: .ok, detail: "\(bucket) has no Object Lock")]
        }
        let now = now()
        var retained: [String] = []
        var held: [String] = []
        for version in versions {
            guard
                let metadata = try await session.read(
                    bucket,
                    {
                        try await $0.headObject(bucket: bucket, key: version.key, versionId: version.versionId, checksumMode: false)
                    })
            else { continue }
            if let until = metadata.objectLockRetainUntil, until > now { retained.append(version.key) }
            if metadata.objectLockLegalHold == "ON" { held.append(version.key) }
        }
        let defaultRetention = document.contains("<DefaultRetention>")
        if retained.isEmpty && held.isEmpty && !defaultRetention {
            return [
                Item(
                    account: session.account, check: "object-lock", severity: .warning,
                    detail: "\(bucket) has Object Lock enabled but no version is retained or on legal hold now; "
                        + "stop writers that set retention before the window, or emptying will fail")
            ]
        }
        var problems: [String] = []
        if !held.isEmpty {
            problems.append(
                "\(held.count) versions on legal hold (e.g. \(held.prefix(5).joined(separator: ", "))): "
                    + "remove the holds (PutObjectLegalHold OFF, needs s3:PutObjectLegalHold)")
        }
        if !retained.isEmpty {
            problems.append(
                "\(retained.count) versions under retention (e.g. \(retained.prefix(5).joined(separator: ", "))): "
                    + "wait until it expires, or bypass GOVERNANCE retention with s3:BypassGovernanceRetention; COMPLIANCE "
                    + "retention cannot be shortened by anyone")
        }
        if defaultRetention {
            problems.append("a default retention applies to every new object: remove it from the Object Lock configuration")
        }
        return [
            Item(
                account: session.account, check: "object-lock", severity: .blocker,
                detail: "\(bucket) cannot be emptied: " + problems.joined(separator: "; "))
        ]
    }

    /// The AWS managed `aws/s3` key of the source account exists only there: a configuration naming
    /// it cannot be restored in the target unless `kmsKeyMap` maps it.
    private func encryption(
        _ bucket: String, session: S3Session, current: [S3ObjectVersion], mappedKeys: Set<String>
    ) async throws -> [Item] {
        var items: [Item] = []
        let config = try await session.read(bucket) { try await $0.getBucketSubresource(.encryption, bucket: bucket) }
        if let document = config?.document, document.contains("aws:kms"), let key = Self.element("KMSMasterKeyID", in: document),
            try await isAWSManaged(key, session: session), !mappedKeys.contains(key)
        {
            items.append(
                Item(
                    account: session.account, check: "encryption", severity: .blocker,
                    detail: "the default encryption of \(bucket) names the AWS managed key \(key) of \(session.label), which no other "
                        + "account can use or be granted: add it to `with.kmsKeyMap` with a customer managed key of the target "
                        + "(or `alias/aws/s3` for the target's own), then re-plan"))
        }
        var managed: [String] = []
        for object in current.prefix(inspectLimit) {
            guard
                let metadata = try await session.read(
                    bucket,
                    {
                        try await $0.headObject(bucket: bucket, key: object.key, checksumMode: false)
                    }), metadata.serverSideEncryption?.hasPrefix("aws:kms") == true
            else { continue }
            if try await isAWSManaged(metadata.sseKMSKeyId, session: session) { managed.append(object.key) }
        }
        if !managed.isEmpty {
            let sampled = current.count > inspectLimit ? " (of the first \(inspectLimit) objects inspected)" : ""
            items.append(
                Item(
                    account: session.account, check: "encryption", severity: .warning,
                    detail: "\(managed.count) objects of \(bucket)\(sampled) are encrypted with the AWS managed aws/s3 key "
                        + "(e.g. \(managed.prefix(5).joined(separator: ", "))), which another account can never read. The move "
                        + "copies them as \(session.label), which can, and they arrive encrypted with the staging bucket's default "
                        + "encryption; anything in the target that expected aws/s3 or reads them across accounts must not rely on it"))
        }
        if items.isEmpty {
            items.append(
                Item(
                    account: session.account, check: "encryption", severity: .ok,
                    detail: "no AWS managed aws/s3 key in the default encryption of \(bucket) or on its objects"))
        }
        return items
    }

    /// `aws/s3` by alias, or a key KMS says AWS manages; no key at all with SSE-KMS means aws/s3.
    private func isAWSManaged(_ key: String?, session: S3Session) async throws -> Bool {
        guard let key else { return true }
        if key.hasSuffix("alias/aws/s3") { return true }
        guard key.contains(":key/") || !key.contains(":") else { return false }
        do {
            return try await sessions.kms(session.account).describeKey(keyId: key).isAWSManaged
        } catch {
            return false  // not ours to read, or gone: the copy reports it if it matters
        }
    }

    // MARK: Staging

    private func stagingName(_ bucket: String, account: String) async -> Item {
        do {
            let session = try await S3Session.open(sessions, account)
            do {
                if try await session.client.headBucket(bucket, expectedBucketOwner: session.accountId) != nil {
                    return Item(
                        account: account, check: "staging-name", severity: .ok,
                        detail: "\(bucket) already exists in \(session.label): the move uses it (and its undo keeps it)")
                }
                return Item(account: account, check: "staging-name", severity: .ok, detail: "\(bucket) is free")
            } catch let error as AWSError where error.httpStatus == 403 {
                return Item(
                    account: account, check: "staging-name", severity: .blocker,
                    detail: "\(bucket) belongs to another AWS account: choose another `with.staging` name")
            }
        } catch {
            return Item(
                account: account, check: "staging-name", severity: .warning,
                detail: "cannot tell whether \(bucket) is free: \(StepError(error).description)")
        }
    }

    // MARK: Formatting

    static func element(_ name: String, in document: String) -> String? {
        guard let start = document.range(of: "<\(name)>"),
            let end = document.range(of: "</\(name)>", range: start.upperBound..<document.endIndex)
        else { return nil }
        return String(document[start.upperBound..<end.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func format(bytes: Int64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}
