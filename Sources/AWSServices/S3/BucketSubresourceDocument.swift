import Foundation

/// One captured bucket configuration, verbatim: what GET returned, ready for the PUT on another
/// bucket (after any account-ID rewriting the runbook asks for).
public struct BucketSubresourceDocument: Sendable, Equatable {
    public var subresource: BucketSubresource
    /// The XML document (JSON for the policy), exactly as S3 returned it.
    public var document: String
    /// Lifecycle only: `x-amz-transition-default-minimum-object-size`, which S3 returns and
    /// accepts as a header beside the document.
    public var transitionDefaultMinimumObjectSize: String?

    public init(subresource: BucketSubresource, document: String, transitionDefaultMinimumObjectSize: String? = nil) {
        self.subresource = subresource
        self.document = document
        self.transitionDefaultMinimumObjectSize = transitionDefaultMinimumObjectSize
    }

    /// The document parsed, for typed reads (nil for the JSON policy or unparsable text).
    public var xml: XMLNode? {
        guard subresource != .policy else { return nil }
        return try? XMLNode.parse(Data(document.utf8))
    }
}
