import Foundation

/// Seeding and inspection of simulated KMS.
extension Simulator {
    /// Creates a customer managed key in `account`. With `policy` nil the key gets the standard
    /// policy: the owner may do everything, and each account in `sharedWith` may use the key for
    /// RDS snapshot copies (CreateGrant, Decrypt, DescribeKey, ReEncrypt*, GenerateDataKey*,
    /// Encrypt). `alias` (`alias/NAME`) is created with it.
    @discardableResult
    public func createKMSKey(
        account: String, description: String = "", sharedWith: [String] = [], alias: String? = nil, policy: String? = nil
    ) throws(SimError) -> SimKMSKey {
        let now = clock.now()
        let region = configuration.region
        return try withState { state in
            Result { () throws(SimError) -> SimKMSKey in
                try state.kms.createKey(
                    account: account, region: region, now: now, description: description, policy: policy, sharedWith: sharedWith,
                    alias: alias)
            }
        }.get()
    }

    /// `account`'s AWS managed `aws/rds` key (created on first use, as RDS does).
    @discardableResult
    public func awsManagedRDSKey(account: String) -> SimKMSKey {
        let now = clock.now()
        let region = configuration.region
        return withState { $0.kms.awsManagedKey(account: account, region: region, now: now) }
    }

    /// `account`'s keys, oldest first.
    public func kmsKeys(account: String) -> [SimKMSKey] {
        withState { $0.kms.keys(account: account) }
    }

    /// May `account` use the key at `keyArn` for an RDS snapshot copy or restore right now?
    public func kmsSnapshotAccess(keyArn: String, account: String) -> KMSKeyAccess {
        let region = configuration.region
        return withState { $0.kms.snapshotAccess(keyArn: keyArn, account: account, region: region) }
    }
}
