import Foundation
import Runbook

/// `uses: s3.move-bucket`: the same-name move of a bucket to another account (DESIGN.md, "The S3
/// same-name move").
///
/// ```yaml
/// with: { bucket: admin-images, from: legacy, to: product, staging: admin-images-staging,
///         forcedWait: 1h, recreate: { every: 10s, for: 5m },
///         accountMap: { "111111111111": "222222222222" }, kmsKeyMap: { <old key ARN>: <new key ARN> } }
/// ```
///
/// Expands into: capture-config → ensure-staging → copy-to-staging → verify-staging →
/// [approval] empty-source → [approval] delete-source → forced-wait → recreate → restore-config →
/// copy-back → verify-final → [approval] remove-staging.
///
/// Rollback: before empty-source it deletes the staging bucket. empty-source and delete-source are
/// `compensated` points of no return: after them, rollback re-creates the bucket in the source
/// account (after the same forced wait, on the same loop), restores its original configuration,
/// copies every object back from staging and verifies it, and only then, after an approval,
/// deletes staging. Once the re-create in the target succeeded, rollback refuses (the name is
/// the target's; a move in the opposite direction brings it back).
public struct S3MoveBucketDefinition: StepDefinition {
    public init() {}

    public var type: String { "s3.move-bucket" }
    public var summary: String {
        "Move a bucket to another account under the same name: copy to staging, verify, delete, wait, re-create, copy back."
    }
    public var inputs: [StepInput] {
        [
            StepInput("bucket", .string, required: true, summary: "The bucket to move; its name is kept."),
            StepInput("from", .account, required: true, summary: "The account that owns the bucket now."),
            StepInput("to", .account, required: true, summary: "The account that will own it."),
            StepInput("staging", .string, required: true, summary: "A staging bucket in the target account holding the copy."),
            StepInput("forcedWait", .duration, summary: "Wait after the delete before re-creating (default 1h)."),
            StepInput("recreate", .mapping, summary: "The re-create loop: `{ every: 10s, for: 5m }`."),
            StepInput("accountMap", .mapping, summary: "Account IDs to rewrite in the captured configuration: `{ old: new }`."),
            StepInput(
                "kmsKeyMap", .mapping, summary: "KMS keys to rewrite in configuration and on copied objects: `{ old ARN: new ARN }`."),
            StepInput("concurrency", .int, summary: "Copy requests in flight (default 64)."),
            StepInput(
                "verifySHA256", .bool,
                summary: "Verify every object by SHA-256 (two HeadObjects each) even where equal ETags already prove it."),
            S3VersionsMode.input,
        ] + S3CopyEngineChoice.inputs
    }

    /// Primitive names, in order.
    public enum Primitive: String, CaseIterable, Sendable {
        case captureConfig = "capture-config"
        case ensureStaging = "ensure-staging"
        case copyToStaging = "copy-to-staging"
        case verifyStaging = "verify-staging"
        case emptySource = "empty-source"
        case deleteSource = "delete-source"
        case forcedWait = "forced-wait"
        case recreate
        case restoreConfig = "restore-config"
        case copyBack = "copy-back"
        case verifyFinal = "verify-final"
        case removeStaging = "remove-staging"
    }

    /// Error codes the re-create loop retries: the name is still being released, or AWS had a
    /// transient problem. `BucketAlreadyExists` is deliberately absent: never retried.
    public static let recreateRetryCodes = ["OperationAborted", StepErrorCode.transient]

    /// The "retry slowly" decision after the loop ran out: every 5 minutes for up to 72 hours,
    /// AWS's stated upper bound for a name release (AWS-NOTES §1.1).
    public static let slowRetry = RetryPolicy(
        backoff: .fixed(interval: .seconds(300)), maxElapsed: .seconds(72 * 3600), retryOn: recreateRetryCodes)

    /// Copy and verify steps retry a few times on throttling and 5xx that outlast the client's
    /// own retries; each retry resumes where the last stopped.
    static let copyRetry = RetryPolicy(
        backoff: .exponential(initial: .seconds(30), multiplier: 2, cap: .seconds(300), jitter: true), maxAttempts: 6)

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let bucket = S3InputReading.bucket(reader.value("bucket"), "`with.bucket`", required: true, reader: &reader)
        let staging = S3InputReading.bucket(reader.value("staging"), "`with.staging`", required: true, reader: &reader)
        let from = reader.account("from", required: true)
        let to = reader.account("to", required: true)
        let forcedWait = S3InputReading.duration(reader.value("forcedWait"), "`with.forcedWait`", reader: &reader) ?? .seconds(3600)
        let loop = S3InputReading.recreateLoop(reader.value("recreate"), reader: &reader)
        let accountMap = S3InputReading.stringMap(
            reader.value("accountMap"), "`with.accountMap`", reader: &reader, describe: "\"111111111111\": \"222222222222\"",
            valid: S3InputReading.isAccountID)
        let kmsKeyMap = S3InputReading.stringMap(
            reader.value("kmsKeyMap"), "`with.kmsKeyMap`", reader: &reader,
            describe: "arn:aws:kms:REGION:OLD:key/ID: arn:aws:kms:REGION:NEW:key/ID", valid: S3InputReading.isKMSKeyReference)
        let concurrency = reader.int("concurrency") ?? S3CopyTuning.defaultConcurrency
        if let value = reader.value("concurrency"), !(1...1024).contains(concurrency) {
            reader.report("bad-value", "`with.concurrency` must be between 1 and 1024", hint: "the default is 64", at: value)
        }
        let verifySHA256 = reader.bool("verifySHA256") ?? false
        if let from, let to, from == to {
            reader.report(
                "bad-value", "`with.from` and `with.to` are both `\(from)`: a same-name move needs two accounts",
                hint: "to copy within one account use `s3.copy-objects`", at: reader.value("to"))
        }
        if let bucket, let staging, bucket == staging {
            reader.report(
                "bad-value", "the staging bucket cannot be the bucket being moved", hint: "e.g. `staging: \(bucket)-staging`",
                at: reader.value("staging"))
        }
        if let bucket, S3InputReading.isAccountRegionalName(bucket) {
            reader.report(
                "bad-value",
                "`\(bucket)` is in the account-regional namespace: only the account it names can ever create it, so it cannot move",
                hint: "give the bucket a new name in the target account instead", at: reader.value("bucket"))
        }
        if let value = reader.value("forcedWait"), forcedWait < .seconds(60) {
            reader.report(
                "bad-value", "`with.forcedWait` below 1m only produces OperationAborted answers",
                hint: "S3 holds a deleted name for about an hour, sometimes 48–72 h; `1h` is usual", at: value)
        }
        let engine = S3CopyEngineChoice.read(&reader)
        let versions = S3VersionsMode.read(&reader)
        if let engine, engine.usesBatch, engine.staging == staging {
            reader.report(
                "bad-value", "`with.batchStaging` must not be the move's staging bucket: the copy is verified against the source",
                hint: "name another bucket in the target account for the manifest and report", at: reader.value("batchStaging"))
        }
        try reader.finish()
        guard let bucket, let staging, let from, let to else { return [] }

        func id(_ primitive: Primitive) -> String { "\(step.id).\(primitive.rawValue)" }
        let source = S3Location(account: from, bucket: bucket)
        let target = S3Location(account: to, bucket: bucket)
        let stage = S3Location(account: to, bucket: staging)
        // As the executors read them: a name given twice means its last value.
        let accounts = Dictionary(accountMap, uniquingKeysWith: { _, last in last })
        let keys = Dictionary(kmsKeyMap, uniquingKeysWith: { _, last in last })
        let fromLabel = "`\(from)`"
        let toLabel = "`\(to)`"
        let loopText = "every \(RunbookDuration.format(loop.every)) for up to \(RunbookDuration.format(loop.for))"
        let recreateLoop = RetryPolicy(backoff: .fixed(interval: loop.every), maxElapsed: loop.for, retryOn: Self.recreateRetryCodes)
        let reversedKeys = Dictionary(kmsKeyMap.map { ($0.1, $0.0) }, uniquingKeysWith: { _, last in last })

        let recreateTemplate = PrimitiveTemplate(
            name: Primitive.recreate.rawValue, type: S3PrimitiveType.createBucket,
            title:
                "Re-create bucket \(bucket) in \(toLabel), every \(RunbookDuration.format(loop.every)) for up to "
                + "\(RunbookDuration.format(loop.for)); OperationAborted retries, BucketAlreadyExists stops (name taken)",
            account: to, effect: .mutating,
            // Kept on rollback: deleting it would release the name again.
            reversibility: .nothingToUndo, estimatedDuration: loop.for,
            inputs: try StepValues.encode(S3CreateBucketInputs(account: to, bucket: bucket, capture: id(.captureConfig)), of: step),
            retry: recreateLoop,
            onFailure: .decide, decisionOptions: [.retry, .slowRetry, .rollback],
            decisionRetries: ["slow-retry": Self.slowRetry])

        // History (issue 17): the copy to staging decides (`versions`, else the source's
        // versioning); every later copy and verification follows what it did (`versionsFrom`).
        let followCopy = id(.copyToStaging)
        let copyToStaging = S3CopyInputs(
            from: source, to: stage, concurrency: concurrency, mirror: true, kmsKeyMap: keys, accountMap: accounts,
            versions: versions, enableVersioning: true, createdBy: id(.ensureStaging), capture: id(.captureConfig))
        let copyBack = S3CopyInputs(
            from: stage, to: target, concurrency: concurrency, mirror: true, kmsKeyMap: keys, accountMap: accounts,
            objectACLs: .target, versionsFrom: followCopy, enableVersioning: true, restoreVersioning: id(.captureConfig),
            capture: id(.captureConfig))
        let history = S3VersionsMode.titleNote(versions)
        let compared = verifySHA256 ? "SHA-256 of every object" : "content (equal ETags, else SHA-256)"
        var ensureStaging = PrimitiveTemplate(
            name: Primitive.ensureStaging.rawValue, type: S3PrimitiveType.ensureBucket,
            title:
                "Create staging bucket \(staging) in \(toLabel) (\(fromLabel) may write and read it); undo deletes it if this run created it",
            account: to, effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(5),
            inputs: try StepValues.encode(S3EnsureBucketInputs(account: to, bucket: staging, grantAccount: from), of: step),
            retry: Self.copyRetry)
        ensureStaging.undoApproval = UndoApproval(
            message: "Delete staging bucket \(staging) in \(toLabel) and every object in it. The source \(bucket) was emptied, "
                + "so check that the rollback put every object back into \(bucket) in \(fromLabel) before approving.",
            onlyAfter: Primitive.emptySource.rawValue)
        var emptySource = PrimitiveTemplate(
            name: Primitive.emptySource.rawValue, type: S3PrimitiveType.emptyBucket,
            title: "POINT OF NO RETURN: empty bucket \(bucket) in \(fromLabel) (every version, delete marker and "
                + "unfinished upload); the verified copy stays in \(staging). A rollback from here on copies every object "
                + "back from \(staging) and, once the bucket is deleted, must first get the name back: S3 may hold it for "
                + "up to 48–72 h and anyone can take it once it is free"
                + S3MoveHistory.emptySourceNote(versions, bucket: bucket, verify: id(.verifyStaging)),
            account: from, effect: .mutating, reversibility: .compensated, estimatedDuration: .seconds(5 * 60),
            inputs: try StepValues.encode(
                S3EmptyBucketInputs(
                    account: from, bucket: bucket, staging: stage, concurrency: concurrency, restoreKmsKeyMap: reversedKeys,
                    capture: id(.captureConfig), versionsFrom: followCopy),
                of: step),
            retry: Self.copyRetry)
        emptySource.undoRetry = Self.copyRetry
        emptySource.approvalMessage = S3MoveHistory.emptySourceApproval(versions, title: emptySource.title, bucket: bucket)
        var deleteSource = PrimitiveTemplate(
            name: Primitive.deleteSource.rawValue, type: S3PrimitiveType.deleteBucket,
            title: "Delete bucket \(bucket) in \(fromLabel); from now on any account can take the name once S3 frees it. "
                + "A rollback after this re-creates \(bucket) in \(fromLabel) \(RunbookDuration.format(forcedWait)) after the "
                + "delete, \(loopText), which needs the name back (S3 may hold it up to 48–72 h; if another account takes it "
                + "the rollback stops with the data in \(staging)), restores its original configuration and copies the data "
                + "back; if the re-create in \(toLabel) already succeeded, moving back needs a new move",
            account: from, effect: .mutating, reversibility: .compensated, estimatedDuration: .seconds(5),
            inputs: try StepValues.encode(
                S3DeleteBucketInputs(
                    account: from, bucket: bucket, targetAccount: to, capture: id(.captureConfig), forcedWait: forcedWait.timeInterval),
                of: step))
        deleteSource.undoRetry = recreateLoop
        let templates: [PrimitiveTemplate] = [
            PrimitiveTemplate(
                name: Primitive.captureConfig.rawValue, type: S3PrimitiveType.captureConfig,
                title: "Capture every configuration of bucket \(bucket) in \(fromLabel), account IDs rewritten for \(toLabel), "
                    + "and its object ACLs (one GetObjectAcl per object, per version when the history is copied, unless ACLs are "
                    + "disabled; copy-back sets them again)",
                account: from, effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: .seconds(10),
                inputs: try StepValues.encode(
                    S3CaptureInputs(
                        account: from, bucket: bucket, targetAccount: to, accountMap: accounts, kmsKeyMap: keys, versions: versions),
                    of: step),
                retry: Self.copyRetry),
            ensureStaging,
            PrimitiveTemplate(
                name: Primitive.copyToStaging.rawValue, type: S3PrimitiveType.copyObjects,
                title:
                    "Copy every object of \(bucket) (\(fromLabel)) to \(staging) (\(toLabel)), server-side; resumes, copies only what differs"
                    + history,
                account: from, effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(15 * 60),
                inputs: try StepValues.encode(copyToStaging, of: step),
                retry: Self.copyRetry),
            PrimitiveTemplate(
                name: Primitive.verifyStaging.rawValue, type: S3PrimitiveType.verifyObjects,
                title: "Verify \(staging) against \(bucket): same keys, sizes and \(compared)",
                account: to, effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: .seconds(5 * 60),
                inputs: try StepValues.encode(
                    S3VerifyInputs(
                        from: source, to: stage, concurrency: concurrency, sha256: verifySHA256,
                        countHistory: versions == .current ? true : nil, versionsFrom: followCopy),
                    of: step),
                retry: Self.copyRetry),
            emptySource,
            deleteSource,
            PrimitiveTemplate(
                name: Primitive.forcedWait.rawValue, type: "wait",
                title: "Wait \(RunbookDuration.format(forcedWait)) after the delete of \(bucket) (S3 holds the name)",
                effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: forcedWait,
                inputs: .object([("for", .number(forcedWait.timeInterval)), ("after", .string(id(.deleteSource)))])),
            recreateTemplate,
            PrimitiveTemplate(
                name: Primitive.restoreConfig.rawValue, type: S3PrimitiveType.restoreConfig,
                title: "Restore the captured configuration on \(bucket) in \(toLabel) (ownership, access block, versioning first)",
                account: to, effect: .mutating, reversibility: .nothingToUndo, estimatedDuration: .seconds(30),
                inputs: try StepValues.encode(S3RestoreConfigInputs(account: to, bucket: bucket, capture: id(.captureConfig)), of: step),
                retry: Self.copyRetry),
            PrimitiveTemplate(
                name: Primitive.copyBack.rawValue, type: S3PrimitiveType.copyObjects,
                title: "Copy every object from \(staging) back into \(bucket) (\(toLabel))",
                account: to, effect: .mutating, reversibility: .nothingToUndo, estimatedDuration: .seconds(15 * 60),
                inputs: try StepValues.encode(copyBack, of: step),
                retry: Self.copyRetry),
            PrimitiveTemplate(
                name: Primitive.verifyFinal.rawValue, type: S3PrimitiveType.verifyObjects,
                title: "Verify \(bucket) in \(toLabel) against \(staging): same keys, sizes and \(compared)",
                account: to, effect: .readOnly, reversibility: .nothingToUndo, estimatedDuration: .seconds(5 * 60),
                inputs: try StepValues.encode(
                    S3VerifyInputs(
                        from: stage, to: target, concurrency: concurrency, sha256: verifySHA256, versionsFrom: followCopy,
                        capture: id(.captureConfig), objectACLs: .target),
                    of: step),
                retry: Self.copyRetry),
            PrimitiveTemplate(
                name: Primitive.removeStaging.rawValue, type: S3PrimitiveType.removeBucket,
                title: "Delete staging bucket \(staging) in \(toLabel) and every object in it (the last other copy of the data)",
                account: to, effect: .mutating, reversibility: .irreversible, estimatedDuration: .seconds(5 * 60),
                inputs: try StepValues.encode(S3RemoveBucketInputs(account: to, bucket: staging), of: step), retry: Self.copyRetry),
        ]
        // `engine:` swaps both copies (to staging, and back in the window) for Batch Operations jobs.
        guard let engine, engine.usesBatch else { return templates }
        return try templates.map { (template) throws(RunbookDiagnostics) in
            guard template.type == S3PrimitiveType.copyObjects else { return template }
            let back = template.name == Primitive.copyBack.rawValue
            return try engine.apply(
                to: template, inputs: back ? copyBack : copyToStaging, fromBucket: back ? staging : bucket, toAccount: to, of: step)
        }
    }
}
