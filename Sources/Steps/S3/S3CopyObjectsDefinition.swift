import Foundation
import Runbook

/// `uses: s3.copy-objects`: a server-side copy of every object of one bucket into another, in
/// the same or another account; by default it may run outside the window (a pre-copy while the
/// service is live), and a second run copies only what changed.
///
/// ```yaml
/// with: { from: { account: legacy, bucket: admin-images },
///         to:   { account: product, bucket: admin-images-staging, create: true }, concurrency: 64 }
/// ```
public struct S3CopyObjectsDefinition: StepDefinition {
    public init() {}

    public var type: String { "s3.copy-objects" }
    public var summary: String {
        "Copy every object of a bucket into another (server-side, resumable, incremental), across accounts if need be."
    }
    public var inputs: [StepInput] {
        [
            StepInput("from", .mapping, required: true, summary: "`{ account, bucket }` to copy from."),
            StepInput("to", .mapping, required: true, summary: "`{ account, bucket, create: true }` to copy into."),
            StepInput("concurrency", .int, summary: "Copy requests in flight at the start (default 64); adapts to S3's answers."),
            StepInput(
                "maxConcurrency", .int, summary: "The most copy requests in flight the copy may grow to (default 512, at most 1024)."),
            StepInput("kmsKeyMap", .mapping, summary: "Re-encrypt SSE-KMS objects: `{ source key ARN: target key ARN }`."),
            S3VersionsMode.input,
            StepInput(
                "objectACLs", .string,
                summary:
                    "`copy` (default): each copy sets the source object's ACL grants (one GetObjectAcl per object, none when the source has ACLs disabled); `none`: copies are private."
            ),
        ] + S3CopyEngineChoice.inputs
    }

    public func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let from = S3InputReading.bucketRef(reader.value("from"), "`with.from`", allowCreate: false, reader: &reader)
        let to = S3InputReading.bucketRef(reader.value("to"), "`with.to`", allowCreate: true, reader: &reader)
        let concurrency = reader.int("concurrency") ?? S3CopyTuning.defaultConcurrency
        if let value = reader.value("concurrency"), !(1...1024).contains(concurrency) {
            reader.report("bad-value", "`with.concurrency` must be between 1 and 1024", hint: "the default is 64", at: value)
        }
        let maxConcurrency = reader.int("maxConcurrency") ?? S3CopyTuning.defaultMaxConcurrency
        if let value = reader.value("maxConcurrency"), !(1...S3ConcurrencyController.maximumCeiling).contains(maxConcurrency) {
            reader.report("bad-value", "`with.maxConcurrency` must be between 1 and 1024", hint: "the default is 512", at: value)
        }
        let kmsKeyMap = S3InputReading.stringMap(
            reader.value("kmsKeyMap"), "`with.kmsKeyMap`", reader: &reader,
            describe: "arn:aws:kms:REGION:OLD:key/ID: arn:aws:kms:REGION:NEW:key/ID", valid: S3InputReading.isKMSKeyReference)
        if let from, let to, from.account == to.account, from.bucket == to.bucket {
            reader.report(
                "bad-value", "`with.from` and `with.to` are the same bucket", hint: "copy into another bucket", at: reader.value("to"))
        }
        let objectACLs = reader.string("objectACLs") ?? "copy"
        if let value = reader.value("objectACLs"), objectACLs != "copy", objectACLs != "none" {
            reader.report("bad-value", "`with.objectACLs` must be `copy` or `none`", hint: "the default is copy", at: value)
        }
        let engine = S3CopyEngineChoice.read(&reader)
        let versions = S3VersionsMode.read(&reader)
        try reader.finish()
        guard let from, let to else { return [] }

        let window = step.window ?? .any
        let ensureName = "ensure-target"
        var templates: [PrimitiveTemplate] = []
        if to.create {
            var ensure = PrimitiveTemplate(
                name: ensureName, type: S3PrimitiveType.ensureBucket,
                title: "Create bucket \(to.bucket) in `\(to.account)` if missing"
                    + (from.account == to.account ? "" : " (writable by `\(from.account)`)")
                    + "; undo deletes it if this run created it",
                account: to.account, effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(5),
                inputs: try StepValues.encode(
                    S3EnsureBucketInputs(account: to.account, bucket: to.bucket, grantAccount: from.account), of: step),
                retry: S3MoveBucketDefinition.copyRetry)
            ensure.window = window
            templates.append(ensure)
        }
        let inputs = S3CopyInputs(
            from: S3Location(account: from.account, bucket: from.bucket), to: S3Location(account: to.account, bucket: to.bucket),
            concurrency: concurrency, maxConcurrency: maxConcurrency, mirror: false,
            kmsKeyMap: Dictionary(kmsKeyMap, uniquingKeysWith: { _, last in last }),
            objectACLs: S3ObjectACLMode(rawValue: objectACLs) ?? .copy, versions: versions,
            // History needs a versioning-enabled destination: the copy may enable it on a bucket the step creates.
            enableVersioning: to.create, createdBy: to.create ? "\(step.id).\(ensureName)" : nil)
        var copy = PrimitiveTemplate(
            name: "copy", type: S3PrimitiveType.copyObjects,
            title: "Copy every object of \(from.bucket) (`\(from.account)`) to \(to.bucket) (`\(to.account)`), server-side; "
                + "only what differs" + S3VersionsMode.titleNote(versions),
            account: from.account, effect: .mutating, reversibility: .reversible, estimatedDuration: .seconds(15 * 60),
            inputs: try StepValues.encode(inputs, of: step),
            retry: S3MoveBucketDefinition.copyRetry)
        copy.window = window
        templates.append(try engine?.apply(to: copy, inputs: inputs, fromBucket: from.bucket, toAccount: to.account, of: step) ?? copy)
        return templates
    }
}
