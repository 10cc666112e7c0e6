import AWSClient
import Foundation

/// CreateJob for an `S3PutObjectCopy` job over a CSV manifest (BC-S3C `CreateJobRequest`;
/// AWS-NOTES-2 BO-2…BO-5, BO-7).
public struct S3BatchCopyJobRequest: Sendable, Equatable {
    /// At most 64 characters; the same token with the same request returns the same job.
    public var clientRequestToken: String
    public var description: String?
    /// Always sent explicitly (BO-7): with `true` the job waits in `Suspended` for UpdateJobStatus Ready.
    public var confirmationRequired: Bool
    public var priority: Int
    /// The role the job acts as; must trust `batchoperations.s3.amazonaws.com` (BO-9).
    public var roleArn: String
    /// The destination bucket's ARN (`arn:aws:s3:::bucket`).
    public var targetBucketArn: String
    public var targetKeyPrefix: String?
    /// `COPY` or `REPLACE`; nil leaves S3's default (COPY).
    public var metadataDirective: String?
    public var storageClass: String?
    /// The manifest object (`arn:aws:s3:::bucket/key`) and its ETag (required, BO-4).
    public var manifestArn: String
    public var manifestETag: String
    public var manifestVersionId: String?
    /// `Bucket,Key` or `Bucket,Key,VersionId`.
    public var manifestFields: [String]
    /// Where the completion report goes (a bucket ARN) and under which prefix.
    public var reportBucketArn: String
    public var reportPrefix: String?
    /// `AllTasks` or `FailedTasksOnly`.
    public var reportScope: String

    public init(
        clientRequestToken: String, description: String? = nil, confirmationRequired: Bool, priority: Int = 10, roleArn: String,
        targetBucketArn: String, targetKeyPrefix: String? = nil, metadataDirective: String? = nil, storageClass: String? = nil,
        manifestArn: String, manifestETag: String, manifestVersionId: String? = nil, manifestFields: [String] = ["Bucket", "Key"],
        reportBucketArn: String, reportPrefix: String? = nil, reportScope: String = "AllTasks"
    ) {
        self.clientRequestToken = clientRequestToken
        self.description = description
        self.confirmationRequired = confirmationRequired
        self.priority = priority
        self.roleArn = roleArn
        self.targetBucketArn = targetBucketArn
        self.targetKeyPrefix = targetKeyPrefix
        self.metadataDirective = metadataDirective
        self.storageClass = storageClass
        self.manifestArn = manifestArn
        self.manifestETag = manifestETag
        self.manifestVersionId = manifestVersionId
        self.manifestFields = manifestFields
        self.reportBucketArn = reportBucketArn
        self.reportPrefix = reportPrefix
        self.reportScope = reportScope
    }

    /// The request document, in the model's member order.
    var document: Data {
        var xml = XMLWriter()
        xml.start("CreateJobRequest", namespace: S3ControlClient.namespace)
        xml.element("ConfirmationRequired", confirmationRequired ? "true" : "false")
        xml.element("Operation") { op in
            op.element("S3PutObjectCopy") { copy in
                copy.element("TargetResource", targetBucketArn)
                copy.optional("MetadataDirective", metadataDirective)
                copy.optional("StorageClass", storageClass)
                copy.optional("TargetKeyPrefix", targetKeyPrefix)
            }
        }
        xml.element("Report") { report in
            report.element("Bucket", reportBucketArn)
            report.element("Format", "Report_CSV_20180820")
            report.element("Enabled", "true")
            report.optional("Prefix", reportPrefix)
            report.element("ReportScope", reportScope)
        }
        xml.element("ClientRequestToken", clientRequestToken)
        xml.element("Manifest") { manifest in
            manifest.element("Spec") { spec in
                spec.element("Format", "S3BatchOperations_CSV_20180820")
                spec.element("Fields") { fields in for field in manifestFields { fields.element("member", field) } }
            }
            manifest.element("Location") { location in
                location.element("ObjectArn", manifestArn)
                location.optional("ObjectVersionId", manifestVersionId)
                location.element("ETag", manifestETag)
            }
        }
        xml.optional("Description", description)
        xml.element("Priority", String(priority))
        xml.element("RoleArn", roleArn)
        xml.end()
        return xml.data
    }
}
