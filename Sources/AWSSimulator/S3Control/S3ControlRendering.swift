import Foundation

/// Builds S3 Control response documents (namespace `http://awss3control.amazonaws.com/doc/2018-08-20/`).
struct S3ControlXML {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    init(root: String) {
        text += "<\(root) xmlns=\"\(S3ControlService.namespace)\">"
        open.append(root)
    }

    mutating func start(_ name: String) {
        text += "<\(name)>"
        open.append(name)
    }

    mutating func end() {
        guard let name = open.popLast() else { return }
        text += "</\(name)>"
    }

    mutating func element(_ name: String, _ value: String) { text += "<\(name)>\(S3XMLBuilder.escape(value))</\(name)>" }

    mutating func optional(_ name: String, _ value: String?) {
        if let value { element(name, value) }
    }

    mutating func finish() -> String {
        while !open.isEmpty { end() }
        return text
    }
}

/// How jobs appear in DescribeJob (`JobDescriptor`) and ListJobs (`JobListDescriptor`), BC-S3C.
enum S3ControlRendering {
    static func describe(_ job: S3ControlJob, now: Date, into xml: inout S3ControlXML) {
        xml.element("JobId", job.id)
        xml.element("ConfirmationRequired", job.confirmationRequired ? "true" : "false")
        xml.optional("Description", job.description)
        xml.element("JobArn", job.arn)
        xml.element("Status", job.status.rawValue)
        xml.start("Manifest")
        xml.start("Spec")
        xml.element("Format", job.manifest.format)
        xml.start("Fields")
        for field in job.manifest.fields { xml.element("member", field) }
        xml.end()
        xml.end()
        xml.start("Location")
        xml.element("ObjectArn", job.manifest.objectArn)
        xml.optional("ObjectVersionId", job.manifest.objectVersionId)
        xml.element("ETag", job.manifest.eTag)
        xml.end()
        xml.end()
        xml.start("Operation")
        xml.start("S3PutObjectCopy")
        let op = job.operation
        xml.element("TargetResource", op.targetResource)
        xml.optional("MetadataDirective", op.metadataDirective)
        xml.optional("StorageClass", op.storageClass)
        xml.optional("TargetKeyPrefix", op.targetKeyPrefix)
        xml.optional("SSEAwsKmsKeyId", op.sseAwsKmsKeyId)
        xml.optional("ChecksumAlgorithm", op.checksumAlgorithm)
        xml.end()
        xml.end()
        xml.element("Priority", String(job.priority))
        progress(job, now: now, into: &xml)
        xml.optional("StatusUpdateReason", job.statusUpdateReason)
        if !job.failureReasons.isEmpty {
            xml.start("FailureReasons")
            for failure in job.failureReasons {
                xml.start("member")
                xml.element("FailureCode", failure.code)
                xml.element("FailureReason", String(failure.reason.prefix(256)))
                xml.end()
            }
            xml.end()
        }
        xml.start("Report")
        xml.optional("Bucket", job.report.bucket)
        xml.optional("Format", job.report.format)
        xml.element("Enabled", job.report.enabled ? "true" : "false")
        xml.optional("Prefix", job.report.prefix)
        xml.optional("ReportScope", job.report.scope)
        xml.end()
        xml.element("CreationTime", S3Time.iso8601(job.creationTime))
        xml.optional("TerminationDate", job.terminationDate.map(S3Time.iso8601))
        xml.element("RoleArn", job.roleArn)
        xml.optional("SuspendedDate", job.suspendedDate.map(S3Time.iso8601))
        xml.optional("SuspendedCause", job.suspendedCause)
    }

    static func listEntry(_ job: S3ControlJob, now: Date, into xml: inout S3ControlXML) {
        xml.element("JobId", job.id)
        xml.optional("Description", job.description)
        xml.element("Operation", "S3PutObjectCopy")
        xml.element("Priority", String(job.priority))
        xml.element("Status", job.status.rawValue)
        xml.element("CreationTime", S3Time.iso8601(job.creationTime))
        xml.optional("TerminationDate", job.terminationDate.map(S3Time.iso8601))
        progress(job, now: now, into: &xml)
    }

    /// `ProgressSummary`; the total is absent until the manifest has been read.
    private static func progress(_ job: S3ControlJob, now: Date, into xml: inout S3ControlXML) {
        xml.start("ProgressSummary")
        xml.optional("TotalNumberOfTasks", job.totalTasks.map(String.init))
        xml.element("NumberOfTasksSucceeded", String(job.succeeded))
        xml.element("NumberOfTasksFailed", String(job.failed))
        xml.start("Timers")
        xml.element("ElapsedTimeInActiveSeconds", String(job.elapsedActiveSeconds(at: now)))
        xml.end()
        xml.end()
    }
}
