/// A bucket sub-resource (`?policy`, `?cors`, …) whose document S3 stores as written and returns.
///
/// "Not configured" is answered either with the sub-resource's own 404 code or with the empty
/// document AWS returns (AWS-NOTES §4, BC-S3; codes cross-checked against terraform-provider-aws
/// `internal/service/s3/errors.go`).
public enum S3BucketConfiguration: String, Sendable, CaseIterable, Hashable {
    case policy
    case versioning
    case encryption
    case cors
    case lifecycle
    case tagging
    case publicAccessBlock
    case ownershipControls
    case website
    case logging
    case notification
    case replication
    case objectLock = "object-lock"
    case accelerate
    case requestPayment

    /// The query sub-resource name.
    public var queryName: String { rawValue }

    /// The botocore operation stem: `Get<stem>`, `Put<stem>`.
    var operationStem: String {
        switch self {
        case .policy: "BucketPolicy"
        case .versioning: "BucketVersioning"
        case .encryption: "BucketEncryption"
        case .cors: "BucketCors"
        case .lifecycle: "BucketLifecycleConfiguration"
        case .tagging: "BucketTagging"
        case .publicAccessBlock: "PublicAccessBlock"
        case .ownershipControls: "BucketOwnershipControls"
        case .website: "BucketWebsite"
        case .logging: "BucketLogging"
        case .notification: "BucketNotificationConfiguration"
        case .replication: "BucketReplication"
        case .objectLock: "ObjectLockConfiguration"
        case .accelerate: "BucketAccelerateConfiguration"
        case .requestPayment: "BucketRequestPayment"
        }
    }

    /// The botocore name of the DELETE operation, when S3 has one.
    var deleteOperation: String? {
        switch self {
        case .policy: "DeleteBucketPolicy"
        case .encryption: "DeleteBucketEncryption"
        case .cors: "DeleteBucketCors"
        case .lifecycle: "DeleteBucketLifecycle"
        case .tagging: "DeleteBucketTagging"
        case .publicAccessBlock: "DeletePublicAccessBlock"
        case .ownershipControls: "DeleteBucketOwnershipControls"
        case .website: "DeleteBucketWebsite"
        case .replication: "DeleteBucketReplication"
        case .versioning, .logging, .notification, .objectLock, .accelerate, .requestPayment: nil
        }
    }

    /// The root element a PUT document must have; nil for the JSON policy.
    var rootElement: String? {
        switch self {
        case .policy: nil
        case .versioning: "VersioningConfiguration"
        case .encryption: "ServerSideEncryptionConfiguration"
        case .cors: "CORSConfiguration"
        case .lifecycle: "LifecycleConfiguration"
        case .tagging: "Tagging"
        case .publicAccessBlock: "PublicAccessBlockConfiguration"
        case .ownershipControls: "OwnershipControls"
        case .website: "WebsiteConfiguration"
        case .logging: "BucketLoggingStatus"
        case .notification: "NotificationConfiguration"
        case .replication: "ReplicationConfiguration"
        case .objectLock: "ObjectLockConfiguration"
        case .accelerate: "AccelerateConfiguration"
        case .requestPayment: "RequestPaymentConfiguration"
        }
    }

    /// The 404 a GET answers when nothing is configured, or nil when S3 answers a default document.
    var notConfigured: SimError? {
        let (code, message): (String, String)
        switch self {
        case .policy: (code, message) = ("NoSuchBucketPolicy", "The bucket policy does not exist")
        case .encryption:
            (code, message) = ("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found")
        case .cors: (code, message) = ("NoSuchCORSConfiguration", "The CORS configuration does not exist")
        case .lifecycle: (code, message) = ("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")
        case .tagging: (code, message) = ("NoSuchTagSet", "The TagSet does not exist")
        case .publicAccessBlock:
            (code, message) = ("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
        case .ownershipControls: (code, message) = ("OwnershipControlsNotFoundError", "The bucket ownership controls were not found")
        case .website: (code, message) = ("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration")
        case .replication: (code, message) = ("ReplicationConfigurationNotFoundError", "The replication configuration was not found")
        case .objectLock:
            (code, message) = ("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")
        case .versioning, .logging, .notification, .accelerate, .requestPayment: return nil
        }
        return SimError(code, message, status: 404)
    }

    /// The document S3 answers when nothing was ever set (versioning, logging, notification,
    /// acceleration, request payment).
    var defaultDocument: String? {
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        switch self {
        case .versioning: return header + "<VersioningConfiguration xmlns=\"\(s3Namespace)\"/>"
        case .logging: return header + "<BucketLoggingStatus xmlns=\"\(s3Namespace)\"/>"
        case .notification: return header + "<NotificationConfiguration xmlns=\"\(s3Namespace)\"/>"
        case .accelerate: return header + "<AccelerateConfiguration xmlns=\"\(s3Namespace)\"/>"
        case .requestPayment:
            return header + "<RequestPaymentConfiguration xmlns=\"\(s3Namespace)\"><Payer>BucketOwner</Payer></RequestPaymentConfiguration>"
        default: return nil
        }
    }

    /// What S3 applies to every new general purpose bucket since 2023 (BC-S3 CreateBucket,
    /// DeleteBucketEncryption; AWS-NOTES §1.4): SSE-S3 default encryption, Block Public Access on,
    /// ACLs disabled (BucketOwnerEnforced).
    static func newBucketDefaults(objectOwnership: String = "BucketOwnerEnforced") -> [S3BucketConfiguration: String] {
        [
            .encryption: sseS3Default,
            .publicAccessBlock:
                "<PublicAccessBlockConfiguration xmlns=\"\(s3Namespace)\"><BlockPublicAcls>true</BlockPublicAcls>"
                + "<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy>"
                + "<RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
            .ownershipControls:
                "<OwnershipControls xmlns=\"\(s3Namespace)\"><Rule><ObjectOwnership>\(objectOwnership)</ObjectOwnership></Rule></OwnershipControls>",
        ]
    }

    /// DeleteBucketEncryption resets to this rather than removing encryption (BC-S3).
    static let sseS3Default =
        "<ServerSideEncryptionConfiguration xmlns=\"\(s3Namespace)\"><Rule><ApplyServerSideEncryptionByDefault>"
        + "<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled>"
        + "</Rule></ServerSideEncryptionConfiguration>"
}
