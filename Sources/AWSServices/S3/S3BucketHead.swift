/// What HeadBucket says about a bucket that exists and that the caller may access.
public struct S3BucketHead: Sendable, Equatable {
    /// `x-amz-bucket-region`: where the bucket lives. AWS's recommended way to find a bucket's
    /// region (GetBucketLocation is governed by the bucket policy only in the home region).
    public var region: String?
    /// `x-amz-access-point-alias`: the name given was an access point alias.
    public var isAccessPointAlias: Bool

    public init(region: String?, isAccessPointAlias: Bool = false) {
        self.region = region
        self.isAccessPointAlias = isAccessPointAlias
    }
}
