/// Who may do what to a bucket: existence, `x-amz-expected-bucket-owner`, and the bucket policy.
///
/// The bucket owner's principals may do everything their account allows (identity policies are
/// not modelled, see `IAMState`); another account's principals only what the bucket policy
/// allows them (S3UG "cross-account access"; AWS-NOTES §3.4). An explicit Deny stops everyone.
extension S3Service {
    enum Permission {
        /// An object or bucket action the bucket policy can grant another account.
        case action(String, resource: String)
        /// A bucket-level configuration call: only the owner's account; a policy can deny but
        /// not grant. (Policy calls themselves are never denied to the owner, as for the root
        /// user: S3UG "bucket policy lockout".)
        case ownerOnly(String, denyable: Bool)
        /// Existence and expected owner only; the handler checks each key itself (DeleteObjects).
        case existence
    }

    /// Settled lookup of the call's bucket, checked for existence, expected owner and permission.
    func authorize(
        _ call: S3Call, _ s3: S3State, _ permission: Permission, bucket name: String? = nil,
        expectedOwnerHeader: String = "x-amz-expected-bucket-owner"
    ) throws(SimError) {
        let name = name ?? call.bucket
        guard let bucket = s3.buckets[name] else { throw S3Errors.noSuchBucket(name) }
        // AWS-NOTES §1.5: a mismatch is 403 AccessDenied, never a read or write of someone else's bucket.
        if let expected = call.header(expectedOwnerHeader), expected != bucket.owner { throw S3Errors.accessDenied(name) }
        switch permission {
        case .action(let action, let resource):
            let arn = "arn:aws:s3:::\(resource)"
            switch bucket.policy?.decision(for: call.principal, action: action, resource: arn) ?? .notApplicable {
            case .deny: throw S3Errors.accessDenied(name)
            case .allow: return
            case .notApplicable: if call.account != bucket.owner { throw S3Errors.accessDenied(name) }
            }
        case .existence:
            return
        case .ownerOnly(let action, let denyable):
            guard call.account == bucket.owner else { throw S3Errors.accessDenied(name) }
            if denyable, bucket.policy?.decision(for: call.principal, action: action, resource: "arn:aws:s3:::\(name)") == .deny {
                throw S3Errors.accessDenied(name)
            }
        }
    }

    /// `s3:GetObject` or, when a version is named, `s3:GetObjectVersion` (and so on).
    static func objectAction(_ base: String, versioned: Bool) -> String {
        guard versioned else { return "s3:\(base)" }
        switch base {
        case "GetObject": return "s3:GetObjectVersion"
        case "DeleteObject": return "s3:DeleteObjectVersion"
        case "GetObjectTagging": return "s3:GetObjectVersionTagging"
        case "PutObjectTagging": return "s3:PutObjectVersionTagging"
        case "DeleteObjectTagging": return "s3:DeleteObjectVersionTagging"
        case "GetObjectAttributes": return "s3:GetObjectVersionAttributes"
        default: return "s3:\(base)"
        }
    }

    /// The account that owns objects written by `writer`: the bucket owner under
    /// BucketOwnerEnforced / BucketOwnerPreferred, else the writer (S3UG about-object-ownership).
    static func objectOwner(_ bucket: S3Bucket, writer: String) -> String {
        guard let controls = bucket.configurations[.ownershipControls] else { return writer }
        return controls.contains("ObjectWriter") ? writer : bucket.owner
    }
}
