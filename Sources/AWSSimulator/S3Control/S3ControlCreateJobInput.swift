import Foundation

/// A CreateJob request document, validated as the model constrains it (BC-S3C `CreateJobRequest`;
/// BO-2…BO-5). Only `S3PutObjectCopy` with a CSV manifest is accepted; other operations and the
/// manifest generator are refused as not simulated rather than silently ignored.
struct S3ControlCreateJobInput {
    /// The service principal a job's role must trust (BO-9).
    static let servicePrincipal = "batchoperations.s3.amazonaws.com"

    var clientRequestToken: String
    var description: String?
    var confirmationRequired: Bool
    var priority: Int
    var roleArn: String
    var operation: S3ControlJob.CopyOperation
    var manifest: S3ControlJob.Manifest
    var report: S3ControlJob.Report

    init(_ body: Data) throws(SimError) {
        guard let root = S3XMLElement.parse(body), root.name == "CreateJobRequest" else {
            throw S3ControlService.badRequest("The CreateJob body is not a CreateJobRequest XML document.")
        }
        func required(_ name: String, in element: S3XMLElement, _ path: String) throws(SimError) -> String {
            guard let value = element.string(name), !value.isEmpty else {
                throw S3ControlService.badRequest("\(path)\(name) is required.")
            }
            return value
        }
        clientRequestToken = try required("ClientRequestToken", in: root, "")
        guard clientRequestToken.count <= 64 else { throw S3ControlService.badRequest("ClientRequestToken is at most 64 characters.") }
        description = root.string("Description")
        if let description, !(1...256).contains(description.count) { throw S3ControlService.badRequest("Description is 1-256 characters.") }
        confirmationRequired = root.string("ConfirmationRequired") == "true"
        guard let priority = Int(try required("Priority", in: root, "")), priority >= 0, priority <= Int(Int32.max) else {
            throw S3ControlService.badRequest("Priority must be an integer from 0 to 2147483647.")
        }
        self.priority = priority
        roleArn = try required("RoleArn", in: root, "")
        guard roleArn.hasPrefix("arn:"), roleArn.contains(":iam::"), roleArn.contains(":role/") else {
            throw S3ControlService.badRequest("RoleArn \(roleArn) is not an IAM role ARN.")
        }

        guard let op = root.child("Operation") else { throw S3ControlService.badRequest("Operation is required.") }
        guard let copy = op.child("S3PutObjectCopy"), op.children.count == 1 else {
            throw SimError("NotImplemented", "The simulator models only the S3PutObjectCopy operation.", status: 501)
        }
        let target = try required("TargetResource", in: copy, "Operation.S3PutObjectCopy.")
        guard target.hasPrefix("arn:"), target.contains(":s3:::"), !target.hasSuffix(":::") else {
            throw S3ControlService.badRequest("TargetResource \(target) is not a bucket ARN (arn:aws:s3:::bucket).")
        }
        let directive = copy.string("MetadataDirective")
        if let directive, directive != "COPY" && directive != "REPLACE" {
            throw S3ControlService.badRequest("MetadataDirective must be COPY or REPLACE.")
        }
        let storageClasses = ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "GLACIER", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"]
        if let storageClass = copy.string("StorageClass"), !storageClasses.contains(storageClass) {
            throw S3ControlService.badRequest("StorageClass \(storageClass) is not one of \(storageClasses.joined(separator: ", ")).")
        }
        var metadata: [String: String] = [:]
        if let m = copy.child("NewObjectMetadata") {
            let headers = [
                ("CacheControl", "Cache-Control"), ("ContentDisposition", "Content-Disposition"), ("ContentEncoding", "Content-Encoding"),
                ("ContentLanguage", "Content-Language"), ("ContentType", "Content-Type"),
            ]
            for (field, header) in headers { if let value = m.string(field) { metadata[header] = value } }
            for entry in m.child("UserMetadata")?.children("entry") ?? [] {
                if let key = entry.string("key") { metadata["x-amz-meta-\(key)"] = entry.string("value") ?? "" }
            }
        }
        let tagging: [(key: String, value: String)]? = copy.child("NewObjectTagging").map { set in
            set.children("member").map { (key: $0.string("Key") ?? "", value: $0.string("Value") ?? "") }
        }
        operation = S3ControlJob.CopyOperation(
            targetResource: target, targetKeyPrefix: copy.string("TargetKeyPrefix"), metadataDirective: directive,
            storageClass: copy.string("StorageClass"), newObjectMetadata: metadata, newObjectTagging: tagging,
            sseAwsKmsKeyId: copy.string("SSEAwsKmsKeyId"), checksumAlgorithm: copy.string("ChecksumAlgorithm"))

        guard root.child("ManifestGenerator") == nil else {
            throw SimError("NotImplemented", "The simulator does not model ManifestGenerator; give a Manifest.", status: 501)
        }
        guard let m = root.child("Manifest"), let spec = m.child("Spec"), let location = m.child("Location") else {
            throw S3ControlService.badRequest("Manifest with Spec and Location is required.")
        }
        let format = try required("Format", in: spec, "Manifest.Spec.")
        guard format == "S3BatchOperations_CSV_20180820" else {
            throw SimError(
                "NotImplemented", "The simulator reads only S3BatchOperations_CSV_20180820 manifests, not \(format).", status: 501)
        }
        let fields = spec.child("Fields")?.children("member").map(\.trimmedText) ?? []
        guard fields.contains("Bucket"), fields.contains("Key"),
            fields.allSatisfy({ ["Ignore", "Bucket", "Key", "VersionId"].contains($0) })
        else {
            throw S3ControlService.badRequest("Manifest.Spec.Fields must name Bucket and Key (and only Ignore, Bucket, Key, VersionId).")
        }
        let objectArn = try required("ObjectArn", in: location, "Manifest.Location.")
        guard objectArn.hasPrefix("arn:"), objectArn.contains(":s3:::") else {
            throw S3ControlService.badRequest("Manifest.Location.ObjectArn \(objectArn) is not an S3 object ARN.")
        }
        manifest = S3ControlJob.Manifest(
            format: format, fields: fields, objectArn: objectArn, objectVersionId: location.string("ObjectVersionId"),
            eTag: try required("ETag", in: location, "Manifest.Location."))

        guard let r = root.child("Report"), let enabled = r.string("Enabled") else {
            throw S3ControlService.badRequest("Report with Enabled is required.")
        }
        report = S3ControlJob.Report(
            enabled: enabled == "true", bucket: r.string("Bucket"), format: r.string("Format"), prefix: r.string("Prefix"),
            scope: r.string("ReportScope"))
        if report.enabled {
            guard let bucket = report.bucket, bucket.contains(":s3:::"), report.format == "Report_CSV_20180820" else {
                throw S3ControlService.badRequest("An enabled Report needs Bucket (a bucket ARN) and Format Report_CSV_20180820.")
            }
            if let scope = report.scope, scope != "AllTasks" && scope != "FailedTasksOnly" {
                throw S3ControlService.badRequest("ReportScope must be AllTasks or FailedTasksOnly.")
            }
        }
    }

    /// Whether a repeated CreateJob with the same token asks for the same job (else IdempotencyException).
    func matches(_ job: S3ControlJob) -> Bool {
        job.roleArn == roleArn && job.priority == priority && job.operation == operation && job.manifest == manifest
            && job.report == report && job.confirmationRequired == confirmationRequired && job.description == description
    }
}
