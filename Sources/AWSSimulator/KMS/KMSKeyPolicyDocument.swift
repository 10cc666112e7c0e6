import Foundation

/// A KMS key policy, parsed once so every access decision is a pure lookup.
///
/// Evaluated as KMS does for the cases a cutover meets: an explicit `Deny` wins, otherwise some
/// `Allow` must name both the action and the principal. Principals are `*`, an account ID,
/// `arn:aws:iam::ACCOUNT:root` (any principal of that account), or a user or role ARN (a role ARN
/// admits its assumed-role sessions). Of `Condition` blocks only `Bool`
/// `kms:GrantIsForAWSResource` is evaluated (true only when RDS itself creates a grant for a
/// snapshot copy or restore; a caller's own CreateGrant is not for an AWS resource); other
/// conditions are not evaluated. `NotPrincipal` and `NotAction` statements are ignored (they
/// never grant).
public struct KMSKeyPolicyDocument: Sendable, Equatable {
    struct Statement: Sendable, Equatable {
        var allow: Bool
        var principals: [String]
        var actions: [String]
        /// `Bool` `kms:GrantIsForAWSResource` from the statement's Condition, when it has one.
        var grantIsForAWSResource: Bool? = nil
    }

    /// The policy text exactly as given (what GetKeyPolicy returns).
    public let text: String
    let statements: [Statement]

    /// Parses `text`; a document that is not a JSON policy is `MalformedPolicyDocumentException`.
    public init(text: String) throws(SimError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw KMSErrors.malformedPolicy("The key policy is not a JSON object.")
        }
        let rawStatements: [[String: Any]]
        if let list = object["Statement"] as? [[String: Any]] {
            rawStatements = list
        } else if let single = object["Statement"] as? [String: Any] {
            rawStatements = [single]
        } else {
            throw KMSErrors.malformedPolicy("The key policy has no Statement.")
        }
        var parsed: [Statement] = []
        for raw in rawStatements {
            guard let effect = raw["Effect"] as? String, effect == "Allow" || effect == "Deny" else {
                throw KMSErrors.malformedPolicy("Every statement needs Effect Allow or Deny.")
            }
            let principals: [String]
            if let star = raw["Principal"] as? String {
                principals = [star]
            } else if let map = raw["Principal"] as? [String: Any] {
                principals = Self.strings(map["AWS"])
            } else {
                principals = []
            }
            var statement = Statement(allow: effect == "Allow", principals: principals, actions: Self.strings(raw["Action"]))
            if let condition = raw["Condition"] as? [String: Any], let bool = condition["Bool"] as? [String: Any],
                let value = bool["kms:GrantIsForAWSResource"]
            {
                statement.grantIsForAWSResource = Self.bool(value)
            }
            parsed.append(statement)
        }
        self.text = text
        self.statements = parsed
    }

    /// A document the simulator wrote itself, with its statements given rather than parsed.
    init(text: String, statements: [Statement]) {
        self.text = text
        self.statements = statements
    }

    /// True when the policy lets `principalArn` of `account` perform `action` (`kms:Decrypt`).
    /// `grantIsForAWSResource`: the request context's `kms:GrantIsForAWSResource`.
    public func allows(account: String, principalArn: String, action: String, grantIsForAWSResource: Bool = false) -> Bool {
        var allowed = false
        for statement in statements
        where statement.actions.contains(where: { Self.matches(pattern: $0, action) })
            && statement.principals.contains(where: { Self.names($0, account: account, principalArn: principalArn) })
            && (statement.grantIsForAWSResource.map { $0 == grantIsForAWSResource } ?? true)
        {
            if !statement.allow { return false }
            allowed = true
        }
        return allowed
    }

    /// True when the policy lets any principal of `account` (its root) perform `action`.
    public func allows(account: String, action: String) -> Bool {
        allows(account: account, principalArn: "arn:aws:iam::\(account):root", action: action)
    }

    /// The policy a seeded customer managed key gets: the owner's root may do everything (KMS's
    /// default key policy), and each of `sharedWith` may use the key as the RDS console's "Other
    /// AWS accounts" adds them (RDSUG-2023 USER_ShareSnapshot.md: CreateGrant, Decrypt,
    /// DescribeKey, ReEncrypt*, GenerateDataKey*, Encrypt).
    public static func standard(owner: String, sharedWith: [String]) -> String {
        var statements: [[String: Any]] = [
            [
                "Sid": "Enable IAM User Permissions", "Effect": "Allow",
                "Principal": ["AWS": "arn:aws:iam::\(owner):root"], "Action": "kms:*", "Resource": "*",
            ]
        ]
        if !sharedWith.isEmpty {
            let roots = sharedWith.map { "arn:aws:iam::\($0):root" }
            statements.append([
                "Sid": "Allow use of the key", "Effect": "Allow", "Principal": ["AWS": roots],
                "Action": [
                    "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey",
                ],
                "Resource": "*",
            ])
            statements.append([
                "Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": ["AWS": roots],
                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
            ])
        }
        return json(["Version": "2012-10-17", "Id": "key-default-1", "Statement": statements])
    }

    /// The policy of an AWS managed key (`aws/rds`): only its own account, through the service.
    /// AWS writes this as `"AWS": "*"` with `kms:CallerAccount` and `kms:ViaService` conditions;
    /// since conditions are not evaluated here, the account is named as the principal instead.
    static func awsManaged(owner: String, service: String, region: String) -> KMSKeyPolicyDocument {
        let root = "arn:aws:iam::\(owner):root"
        let statements = [
            Statement(
                allow: true, principals: [root],
                actions: [
                    "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants",
                    "kms:DescribeKey",
                ]),
            Statement(allow: true, principals: [root], actions: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"]),
        ]
        return KMSKeyPolicyDocument(text: awsManagedText(owner: owner, service: service, region: region), statements: statements)
    }

    private static func awsManagedText(owner: String, service: String, region: String) -> String {
        json([
            "Version": "2012-10-17", "Id": "auto-\(service)-2",
            "Statement": [
                [
                    "Sid":
                        "Allow access through \(service.uppercased()) for all principals in the account that are authorized to use \(service.uppercased())",
                    "Effect": "Allow", "Principal": ["AWS": "arn:aws:iam::\(owner):root"],
                    "Action": [
                        "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant",
                        "kms:ListGrants", "kms:DescribeKey",
                    ],
                    "Resource": "*",
                    "Condition": [
                        "StringEquals": ["kms:ViaService": "\(service).\(region).amazonaws.com", "kms:CallerAccount": owner]
                    ],
                ],
                [
                    "Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
                    "Principal": ["AWS": "arn:aws:iam::\(owner):root"],
                    "Action": ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"], "Resource": "*",
                ],
            ],
        ])
    }

    private static func json(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func bool(_ value: Any) -> Bool? {
        if let text = value as? String { return text.lowercased() == "true" }
        if let list = value as? [Any], let first = list.first { return bool(first) }
        return (value as? NSNumber)?.boolValue
    }

    private static func strings(_ value: Any?) -> [String] {
        if let one = value as? String { return [one] }
        return (value as? [Any])?.compactMap { $0 as? String } ?? []
    }

    /// IAM action matching: case-insensitive, `*` matches any run of characters.
    static func matches(pattern: String, _ action: String) -> Bool {
        let p = Array(pattern.lowercased().utf8)
        let a = Array(action.lowercased().utf8)
        var (pi, ai, star, mark) = (0, 0, -1, 0)
        while ai < a.count {
            if pi < p.count && p[pi] == a[ai] {
                pi += 1
                ai += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ai
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ai = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    static func names(_ principal: String, account: String, principalArn: String) -> Bool {
        if principal == "*" || principal == account || principal == "arn:aws:iam::\(account):root" || principal == principalArn {
            return true
        }
        // arn:aws:iam::ACCT:role/NAME admits arn:aws:sts::ACCT:assumed-role/NAME/SESSION.
        let rolePrefix = "arn:aws:iam::\(account):role/"
        if principal.hasPrefix(rolePrefix), principalArn.hasPrefix("arn:aws:sts::\(account):assumed-role/") {
            let roleName = principal.dropFirst(rolePrefix.count).split(separator: "/").last ?? ""
            let sessionRole = principalArn.split(separator: "/").dropFirst().first ?? ""
            return roleName == sessionRole
        }
        return false
    }
}
