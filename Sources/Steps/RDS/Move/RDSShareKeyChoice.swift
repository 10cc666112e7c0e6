/// `sourceShareKey:` — the customer managed key the snapshot is copied under, in the source
/// account, before it is shared: a snapshot under the AWS managed `aws/rds` key cannot be shared
/// (AWS-NOTES §5.1; AWSSupport-ShareRDSSnapshot does the same copy, AWS-NOTES-2 KMS-1).
/// `none` (no share key: an `aws/rds` source fails the preflight) is nil where a choice is optional.
enum RDSShareKeyChoice: Sendable, Equatable {
    /// The default (`auto`): the plan holds the share-key primitives, and the preflight decides at
    /// run time whether they work — only for a source on `aws/rds`, which the offline plan cannot
    /// know. Otherwise they complete at once as "not needed" and the snapshot is shared as it is.
    case auto
    /// `create`: the run creates a key whose policy lets the target account only decrypt,
    /// describe and have RDS create grants, and schedules its deletion after an approval.
    case create
    /// An alias, key ID or key ARN of a customer managed key in the source account.
    case named(String)

    /// The runbook's words: "the run creates it", "decide at run time", "never".
    static let createWord = "create"
    static let autoWord = "auto"
    static let noneWord = "none"

    /// nil for `none`.
    static func parse(_ text: String) -> RDSShareKeyChoice? {
        switch text {
        case noneWord: nil
        case autoWord: .auto
        case createWord: .create
        default: .named(text)
        }
    }

    var text: String {
        switch self {
        case .auto: Self.autoWord
        case .create: Self.createWord
        case let .named(key): key
        }
    }

    /// Whether the run may create a key of its own (and so schedule its deletion).
    var mayCreateKey: Bool { self == .create || self == .auto }
}
