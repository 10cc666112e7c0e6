/// `CreateGrant`: permission for a principal (often the target account) to use a key.
public struct CreateGrantRequest: Sendable, Equatable, Encodable {
    /// Key ID or key ARN (a key ARN when the key is in another account). Not an alias.
    public var keyId: String
    /// An account, role, user or service principal ARN.
    public var granteePrincipal: String
    public var operations: [KMSGrantOperation]
    /// Who may retire the grant later (rollback).
    public var retiringPrincipal: String?
    /// A name that makes retries idempotent: KMS returns the existing grant for the same name,
    /// key, grantee and operations instead of creating another.
    public var name: String?

    public init(
        keyId: String, granteePrincipal: String, operations: [KMSGrantOperation], retiringPrincipal: String? = nil,
        name: String? = nil
    ) {
        self.keyId = keyId
        self.granteePrincipal = granteePrincipal
        self.operations = operations
        self.retiringPrincipal = retiringPrincipal
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case keyId = "KeyId", granteePrincipal = "GranteePrincipal", operations = "Operations"
        case retiringPrincipal = "RetiringPrincipal", name = "Name"
    }
}
