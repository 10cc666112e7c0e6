import Foundation

/// The simulated KMS: every account's keys, aliases and grants.
///
/// Keys are addressed the four ways KMS accepts (key ID, key ARN, alias name, alias ARN); a key in
/// another account can only be reached by an ARN. Each account's AWS managed `aws/rds` key is
/// created on first use, as RDS does.
public struct KMSState: Sendable {
    /// By key ARN.
    public private(set) var keys: [String: SimKMSKey] = [:]
    /// By alias ARN.
    public private(set) var aliases: [String: SimKMSAlias] = [:]
    private var random = SimRandom(seed: 0x4B4D_5345_4544)

    public init() {}

    // MARK: - Seeding

    /// Creates a customer managed key. `policy` is the key policy JSON; when nil, the standard
    /// policy: the owner may do everything and each of `sharedWith` may use the key for RDS.
    @discardableResult
    public mutating func createKey(
        account: String, region: String, now: Date, description: String = "", policy: String? = nil,
        sharedWith: [String] = [], alias: String? = nil, tags: [String: String] = [:]
    ) throws(SimError) -> SimKMSKey {
        let document = try KMSKeyPolicyDocument(text: policy ?? KMSKeyPolicyDocument.standard(owner: account, sharedWith: sharedWith))
        var key = SimKMSKey(
            keyId: mintKeyId(), account: account, region: region, description: description, manager: .customer, enabled: true,
            creationDate: now, policy: document, grants: [])
        key.tags = tags
        keys[key.arn] = key
        if let alias { try createAlias(name: alias, targetKeyId: key.keyId, account: account, region: region, now: now) }
        return key
    }

    /// Creates `alias/NAME` for one of `account`'s keys. `alias/aws/` names are reserved.
    public mutating func createAlias(name: String, targetKeyId: String, account: String, region: String, now: Date) throws(SimError) {
        guard name.hasPrefix("alias/"), name.count > 6, name.count <= 256,
            name.dropFirst(6).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_-".contains($0)) })
        else {
            throw KMSErrors.validation("Alias must start with the prefix \"alias/\" followed by letters, digits, /, _ or -.")
        }
        guard !name.hasPrefix("alias/aws/") else {
            throw SimError(
                "NotAuthorizedException", "Alias names that begin with alias/aws/ are reserved for AWS managed keys.", status: 400)
        }
        let alias = SimKMSAlias(name: name, account: account, region: region, targetKeyId: "", creationDate: now)
        guard aliases[alias.arn] == nil else { throw KMSErrors.alreadyExists("An alias with the name \(alias.arn) already exists") }
        guard let key = ownKey(targetKeyId, account: account, region: region) else { throw KMSErrors.keyNotFound(targetKeyId) }
        aliases[alias.arn] = SimKMSAlias(name: name, account: account, region: region, targetKeyId: key.keyId, creationDate: now)
    }

    /// Replaces a key's policy (owner only, as PutKeyPolicy; AWS-NOTES §5.1).
    public mutating func putKeyPolicy(keyArn: String, policy: String) throws(SimError) {
        guard keys[keyArn] != nil else { throw KMSErrors.keyNotFound(keyArn) }
        keys[keyArn]?.policy = try KMSKeyPolicyDocument(text: policy)
    }

    /// Enables or disables a key (a disabled key makes RDS answer `KMSKeyNotAccessibleFault`).
    public mutating func setEnabled(keyArn: String, _ enabled: Bool) throws(SimError) {
        guard keys[keyArn] != nil else { throw KMSErrors.keyNotFound(keyArn) }
        keys[keyArn]?.enabled = enabled
    }

    /// Schedules a customer managed key's deletion `days` after `now` (ScheduleKeyDeletion).
    mutating func scheduleDeletion(keyArn: String, at date: Date) {
        keys[keyArn]?.deletionDate = date
    }

    /// The account's AWS managed key for `service` (`aws/rds`), created on first use.
    public mutating func awsManagedKey(service: String = "rds", account: String, region: String, now: Date) -> SimKMSKey {
        let aliasArn = "arn:aws:kms:\(region):\(account):alias/aws/\(service)"
        if let alias = aliases[aliasArn], let key = keys["arn:aws:kms:\(region):\(account):key/\(alias.targetKeyId)"] {
            return key
        }
        let key = SimKMSKey(
            keyId: mintKeyId(), account: account, region: region,
            description: "Default key that protects my \(service.uppercased()) database volumes when no other key is defined",
            manager: .aws, enabled: true, creationDate: now,
            policy: KMSKeyPolicyDocument.awsManaged(owner: account, service: service, region: region), grants: [])
        keys[key.arn] = key
        aliases[aliasArn] = SimKMSAlias(
            name: "alias/aws/\(service)", account: account, region: region, targetKeyId: key.keyId, creationDate: now)
        return key
    }

    // MARK: - Lookup

    /// The key `reference` names from `account`'s point of view: a key ID or alias name in
    /// `account`, or a key ARN or alias ARN in any account. An `aws/…` alias resolves to the
    /// managed key, creating it on first use. Nil when nothing matches.
    public mutating func resolve(_ reference: String, account: String, region: String, now: Date) -> SimKMSKey? {
        if reference.hasPrefix("arn:") {
            let parts = reference.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            guard parts.count == 6, parts[2] == "kms" else { return nil }
            let (keyRegion, keyAccount, resource) = (String(parts[3]), String(parts[4]), String(parts[5]))
            if resource.hasPrefix("key/") { return keys[reference] }
            if resource.hasPrefix("alias/") { return aliasTarget(resource, account: keyAccount, region: keyRegion, now: now) }
            return nil
        }
        if reference.hasPrefix("alias/") { return aliasTarget(reference, account: account, region: region, now: now) }
        return keys["arn:aws:kms:\(region):\(account):key/\(reference)"]
    }

    private mutating func aliasTarget(_ name: String, account: String, region: String, now: Date) -> SimKMSKey? {
        if name.hasPrefix("alias/aws/") {
            let service = String(name.dropFirst("alias/aws/".count))
            guard ["rds", "s3", "ebs"].contains(service) else { return nil }
            return awsManagedKey(service: service, account: account, region: region, now: now)
        }
        guard let alias = aliases["arn:aws:kms:\(region):\(account):\(name)"] else { return nil }
        return keys["arn:aws:kms:\(region):\(account):key/\(alias.targetKeyId)"]
    }

    /// A key of `account` by key ID or key ARN (not alias).
    func ownKey(_ reference: String, account: String, region: String) -> SimKMSKey? {
        let arn = reference.hasPrefix("arn:") ? reference : "arn:aws:kms:\(region):\(account):key/\(reference)"
        guard let key = keys[arn], key.account == account else { return nil }
        return key
    }

    /// May `principalArn` of `account` perform `action` on the key, by its policy or a grant?
    /// (The owner is subject to the policy too: a policy without the owner's root locks it out.)
    public func permits(
        _ key: SimKMSKey, account: String, principalArn: String, action: String, grantIsForAWSResource: Bool = false
    ) -> Bool {
        if key.policy.allows(account: account, principalArn: principalArn, action: action, grantIsForAWSResource: grantIsForAWSResource) {
            return true
        }
        let operation = action.hasPrefix("kms:") ? String(action.dropFirst(4)) : action
        return key.grants.contains { $0.names(account: account) && $0.operations.contains(operation) }
    }

    /// The pure question RDS asks for CopyDBSnapshot, RestoreDBClusterFromSnapshot and friends:
    /// may `account` use the key at `keyArn` to read or write snapshot data? RDS needs the key
    /// enabled, in reach (same region), not another account's AWS managed key, and the caller
    /// allowed kms:CreateGrant, kms:Decrypt and kms:DescribeKey (RDSUG-2023 USER_ShareSnapshot.md).
    public func snapshotAccess(keyArn: String, account: String, principalArn: String? = nil, region: String) -> KMSKeyAccess {
        guard let key = keys[keyArn], key.region == region else { return .notFound }
        if key.account != account && key.manager == .aws { return .awsManagedKeyOfAnotherAccount }
        guard key.usable else { return .disabled }
        let principal = principalArn ?? "arn:aws:iam::\(account):root"
        // RDS creates its grant on the caller's behalf, for an AWS resource: a policy that allows
        // CreateGrant only with `kms:GrantIsForAWSResource` true admits it (KMS-3).
        for action in ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey"]
        where !permits(key, account: account, principalArn: principal, action: action, grantIsForAWSResource: true) {
            return .notPermitted
        }
        return .allowed
    }

    /// Aliases of `account` in `region`, sorted by name (as ListAliases returns them).
    public func aliases(account: String, region: String) -> [SimKMSAlias] {
        aliases.values.filter { $0.account == account && $0.region == region }.sorted { $0.name < $1.name }
    }

    /// Keys of `account`, oldest first.
    public func keys(account: String) -> [SimKMSKey] {
        keys.values.filter { $0.account == account }.sorted { ($0.creationDate, $0.keyId) < ($1.creationDate, $1.keyId) }
    }

    // MARK: - Grants

    /// Adds a grant, or returns the existing one for the same name, grantee and operations (a
    /// retried CreateGrant with a Name is idempotent, BC-KMS CreateGrant).
    mutating func addGrant(
        keyArn: String, grantee: String, retiring: String?, operations: [String], name: String?, issuer: String, now: Date
    ) -> SimKMSGrant? {
        guard let key = keys[keyArn] else { return nil }
        if let name,
            let existing = key.grants.first(where: {
                $0.name == name && $0.granteePrincipal == grantee && Set($0.operations) == Set(operations)
            })
        {
            return existing
        }
        let grant = SimKMSGrant(
            grantId: hex(64), grantToken: hex(128), name: name, granteePrincipal: grantee, retiringPrincipal: retiring,
            operations: operations, issuingAccount: issuer, creationDate: now)
        keys[keyArn]?.grants.append(grant)
        return grant
    }

    // MARK: - IDs

    private mutating func mintKeyId() -> String {
        let h = hex(32)
        let c = Array(h)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }

    private mutating func hex(_ count: Int) -> String {
        var out = ""
        while out.count < count {
            let word = String(random.next(), radix: 16)
            out += String(repeating: "0", count: 16 - word.count) + word
        }
        return String(out.prefix(count))
    }
}
