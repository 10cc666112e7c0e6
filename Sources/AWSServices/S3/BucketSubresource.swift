/// A bucket configuration that a same-name move captures before deleting the bucket and restores
/// on the re-created one.
///
/// Each has its own GET/PUT (and usually DELETE) under a query sub-resource. The GET body is the
/// document the PUT accepts, so capture/restore can carry it verbatim (`BucketSubresourceDocument`);
/// the policy is JSON, everything else XML.
public enum BucketSubresource: String, Sendable, CaseIterable, CustomStringConvertible {
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
    case objectLock
    case accelerate
    case requestPayment

    public var description: String { rawValue }

    /// How "remove this configuration" is expressed, if at all.
    public enum Removal: Sendable, Equatable {
        /// `DELETE /?<sub-resource>`.
        case delete
        /// A PUT of this document restores S3's default (logging off, no notifications,
        /// acceleration suspended, bucket owner pays).
        case putDefault(String)
        /// S3 cannot undo it (versioning can only be suspended; Object Lock cannot be disabled).
        case impossible
    }

    /// The query sub-resource name (`?lifecycle`, `?publicAccessBlock`, `?object-lock`).
    public var queryName: String {
        switch self {
        case .publicAccessBlock: "publicAccessBlock"
        case .ownershipControls: "ownershipControls"
        case .objectLock: "object-lock"
        case .requestPayment: "requestPayment"
        default: rawValue
        }
    }

    /// The root element of the XML document; nil for the JSON policy.
    public var rootElement: String? {
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

    /// Root element names accepted on a GET besides `rootElement`. moto (5.2.1) answers
    /// versioning, acceleration and notification with `<GetBucketVersioningResponse>` and the like
    /// where AWS sends the PUT document's root; botocore never looks at the root name. Captured
    /// documents are renamed to `rootElement`, so they can be PUT again.
    var alternateRoots: [String] {
        switch self {
        case .policy: []
        case .notification: ["GetBucketNotificationConfigurationResponse", "GetBucketNotificationResponse"]
        default: ["Get\(operationStem)Response", "Get\(operationStem)Output"]
        }
    }

    /// The AWS error codes with which a GET says "not configured" (an answer, returned as nil).
    public var notConfiguredCodes: Set<String> {
        switch self {
        case .policy: ["NoSuchBucketPolicy"]
        case .encryption: ["ServerSideEncryptionConfigurationNotFoundError"]
        case .cors: ["NoSuchCORSConfiguration"]
        case .lifecycle: ["NoSuchLifecycleConfiguration"]
        case .tagging: ["NoSuchTagSet"]
        case .publicAccessBlock: ["NoSuchPublicAccessBlockConfiguration"]
        case .ownershipControls: ["OwnershipControlsNotFoundError"]
        case .website: ["NoSuchWebsiteConfiguration"]
        case .replication: ["ReplicationConfigurationNotFoundError"]
        case .objectLock: ["ObjectLockConfigurationNotFoundError"]
        // These answer 200 with an empty document instead.
        case .versioning, .logging, .notification, .accelerate, .requestPayment: []
        }
    }

    public var removal: Removal {
        switch self {
        case .versioning, .objectLock: .impossible
        case .logging: .putDefault("<BucketLoggingStatus xmlns=\"\(S3Client.namespace)\"/>")
        case .notification: .putDefault("<NotificationConfiguration xmlns=\"\(S3Client.namespace)\"/>")
        case .accelerate:
            .putDefault("<AccelerateConfiguration xmlns=\"\(S3Client.namespace)\"><Status>Suspended</Status></AccelerateConfiguration>")
        case .requestPayment:
            .putDefault(
                "<RequestPaymentConfiguration xmlns=\"\(S3Client.namespace)\"><Payer>BucketOwner</Payer></RequestPaymentConfiguration>")
        default: .delete
        }
    }

    /// The API operation names, for errors and the audit trail.
    public var operationStem: String {
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

    /// True when a 200 document carries no configuration: S3 answers these sub-resources with an
    /// empty document rather than a "not found" error when nothing was ever set.
    func isUnconfigured(_ root: XMLNode) -> Bool {
        switch self {
        case .versioning: root.string("Status") == nil && root.string("MfaDelete") == nil
        case .logging: root.child("LoggingEnabled") == nil
        case .notification: root.children.isEmpty
        case .accelerate: root.string("Status") == nil
        default: false
        }
    }
}
