import Foundation

/// One KMS key of the simulated world.
public struct SimKMSKey: Sendable, Equatable {
    /// Who manages the key. AWS managed keys (`aws/rds`) cannot be used by another account, so a
    /// snapshot encrypted under one cannot be shared (AWS-NOTES §5.1).
    public enum Manager: String, Sendable, Equatable {
        case aws = "AWS"
        case customer = "CUSTOMER"
    }

    /// The UUID-shaped key ID.
    public var keyId: String
    public var account: String
    public var region: String
    public var description: String
    public var manager: Manager
    public var enabled: Bool
    public var creationDate: Date
    public var policy: KMSKeyPolicyDocument
    public var grants: [SimKMSGrant]
    /// Tags given at CreateKey (ListResourceTags).
    public var tags: [String: String] = [:]
    /// Set by ScheduleKeyDeletion: the key is `PendingDeletion`, unusable, until then. (Deletion
    /// itself, at the end of the window, is not modelled: the key stays pending.)
    public var deletionDate: Date? = nil

    /// `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`.
    public var arn: String { "arn:aws:kms:\(region):\(account):key/\(keyId)" }

    /// `Enabled`, `Disabled` or `PendingDeletion`, as DescribeKey says.
    public var keyState: String { deletionDate != nil ? "PendingDeletion" : enabled ? "Enabled" : "Disabled" }

    /// Whether cryptographic use (and so an RDS copy or restore under it) is possible.
    public var usable: Bool { enabled && deletionDate == nil }
}

/// A grant made with CreateGrant.
public struct SimKMSGrant: Sendable, Equatable {
    public var grantId: String
    public var grantToken: String
    public var name: String?
    public var granteePrincipal: String
    public var retiringPrincipal: String?
    public var operations: [String]
    /// The account that created the grant.
    public var issuingAccount: String
    public var creationDate: Date

    /// True when the grant names `account` (its ID, root, or a principal in it).
    func names(account: String) -> Bool {
        granteePrincipal == account || granteePrincipal.hasPrefix("arn:aws:iam::\(account):")
            || granteePrincipal.hasPrefix("arn:aws:sts::\(account):")
    }
}

/// An alias: `alias/NAME` in one account and region, pointing at one key.
public struct SimKMSAlias: Sendable, Equatable {
    public var name: String
    public var account: String
    public var region: String
    public var targetKeyId: String
    public var creationDate: Date

    /// `arn:aws:kms:REGION:ACCOUNT:alias/NAME`.
    public var arn: String { "arn:aws:kms:\(region):\(account):\(name)" }
}

/// Whether an account may use a key for an RDS snapshot copy or restore, and if not, why.
public enum KMSKeyAccess: Sendable, Equatable {
    case allowed
    /// No such key (or it is in another region).
    case notFound
    case disabled
    /// An AWS managed key of another account: never usable across accounts.
    case awsManagedKeyOfAnotherAccount
    /// The key policy (and no grant) lets the account use the key.
    case notPermitted

    public var isAllowed: Bool { self == .allowed }
}
