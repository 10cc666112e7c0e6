/// `sourceShareKey:` — the customer managed key the snapshot is copied under, in the source
/// account, before it is shared: a snapshot under the AWS managed `aws/rds` key cannot be shared
/// (AWS-NOTES §5.1; AWSSupport-ShareRDSSnapshot does the same copy, AWS-NOTES-2 KMS-1).
enum RDSShareKeyChoice: Sendable, Equatable {
    /// `create`: the run creates a key whose policy lets the target account only decrypt,
    /// describe and have RDS create grants, and schedules its deletion after an approval.
    case create
    /// An alias, key ID or key ARN of a customer managed key in the source account.
    case named(String)

    /// The runbook's word for "the run creates it".
    static let createWord = "create"

    init(_ text: String) { self = text == Self.createWord ? .create : .named(text) }

    var text: String {
        switch self {
        case .create: Self.createWord
        case let .named(key): key
        }
    }
}
