import Foundation

/// A bucket policy, parsed once when it is put, evaluated on every cross-account call.
///
/// Modelled: `Effect`, `Principal`/`NotPrincipal` (`"*"`, `{"AWS": …}` with account IDs,
/// `arn:aws:iam::ACCT:root`, user, role and assumed-role ARNs), `Action`/`NotAction` and
/// `Resource`/`NotResource` with `*`/`?` wildcards, and conditions on `aws:PrincipalAccount`,
/// `aws:PrincipalArn` and `aws:SecureTransport`. A statement with any other condition key never
/// applies (neither allows nor denies). Explicit Deny wins over Allow (IAM evaluation logic).
public struct S3BucketPolicy: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case allow
        case deny
        /// No statement applies: only the bucket owner's own principals may act.
        case notApplicable
    }

    struct Condition: Sendable, Equatable {
        var op: String
        var key: String
        var values: [String]
    }

    struct Statement: Sendable, Equatable {
        var allow: Bool
        /// nil: any principal (`"*"` or `{"AWS": "*"}`).
        var principals: [String]?
        var notPrincipal: Bool
        var actions: [String]
        var notAction: Bool
        var resources: [String]
        var notResource: Bool
        var conditions: [Condition]
    }

    var statements: [Statement]

    /// Parses and validates `text` the way PutBucketPolicy does: `MalformedPolicy` (400) for
    /// anything that is not a policy document for `bucket`.
    static func parse(_ text: String, bucket: String) throws(SimError) -> S3BucketPolicy {
        func malformed(_ message: String) -> SimError { SimError("MalformedPolicy", message, status: 400, resource: bucket) }
        guard text.drop(while: \.isWhitespace).first == "{",
            let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let root = json as? [String: Any]
        else { throw malformed("Policies must be valid JSON and the first byte must be '{'") }
        let rawStatements: [Any]
        switch root["Statement"] {
        case let list as [Any]: rawStatements = list
        case let single as [String: Any]: rawStatements = [single]
        default: throw malformed("Missing required field Statement")
        }
        guard !rawStatements.isEmpty else { throw malformed("Could not parse the policy: Statement is empty!") }
        var statements: [Statement] = []
        for raw in rawStatements {
            guard let entry = raw as? [String: Any] else { throw malformed("Invalid policy syntax.") }
            let allow: Bool
            switch entry["Effect"] as? String {
            case "Allow": allow = true
            case "Deny": allow = false
            case nil: throw malformed("Missing required field Effect")
            default: throw malformed("Invalid effect: \(entry["Effect"].map { "\($0)" } ?? "")")
            }
            let principalValue = entry["Principal"] ?? entry["NotPrincipal"]
            guard let principalValue else { throw malformed("Missing required field Principal") }
            let principals: [String]?
            if let star = principalValue as? String {
                guard star == "*" else { throw malformed("Invalid principal in policy") }
                principals = nil
            } else if let map = principalValue as? [String: Any] {
                var list: [String] = []
                var any = false
                for (type, value) in map {
                    let names = (value as? [String]) ?? ((value as? String).map { [$0] } ?? [])
                    guard !names.isEmpty else { throw malformed("Invalid principal in policy") }
                    if type == "AWS" {
                        if names.contains("*") { any = true }
                        for name in names where name != "*" {
                            guard Self.isPrincipalName(name) else { throw malformed("Invalid principal in policy") }
                            list.append(name)
                        }
                    } else {
                        // Service, CanonicalUser, Federated: kept so they never match an account.
                        list += names.map { "\(type):\($0)" }
                    }
                }
                principals = any ? nil : list
            } else {
                throw malformed("Invalid principal in policy")
            }
            let actionValue = entry["Action"] ?? entry["NotAction"]
            guard let actions = Self.strings(actionValue), !actions.isEmpty else { throw malformed("Missing required field Action") }
            for action in actions where action != "*" && !action.lowercased().hasPrefix("s3:") {
                throw malformed("Policy has invalid action")
            }
            let resourceValue = entry["Resource"] ?? entry["NotResource"]
            guard let resources = Self.strings(resourceValue), !resources.isEmpty else {
                throw malformed("Missing required field Resource")
            }
            for resource in resources where resource != "*" {
                guard resource.hasPrefix("arn:aws:s3:::") else { throw malformed("Policy has invalid resource") }
                let path = resource.dropFirst("arn:aws:s3:::".count)
                let bucketPart = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
                guard Self.wildcardMatch(bucketPart, bucket) else { throw malformed("Policy has invalid resource") }
            }
            var conditions: [Condition] = []
            if let block = entry["Condition"] {
                guard let ops = block as? [String: Any] else { throw malformed("Invalid Condition block") }
                for (op, value) in ops {
                    guard let keys = value as? [String: Any] else { throw malformed("Invalid Condition block") }
                    for (key, values) in keys {
                        conditions.append(Condition(op: op, key: key, values: Self.strings(values) ?? ["\(values)"]))
                    }
                }
            }
            statements.append(
                Statement(
                    allow: allow, principals: principals, notPrincipal: entry["NotPrincipal"] != nil, actions: actions,
                    notAction: entry["Action"] == nil, resources: resources, notResource: entry["Resource"] == nil,
                    conditions: conditions))
        }
        return S3BucketPolicy(statements: statements)
    }

    /// What the policy says about `principal` doing `action` (e.g. `s3:GetObject`) on
    /// `resource` (`arn:aws:s3:::bucket/key`).
    public func decision(for principal: SimPrincipal, action: String, resource: String) -> Decision {
        var allowed = false
        for statement in statements where statement.applies(to: principal, action: action, resource: resource) {
            if !statement.allow { return .deny }
            allowed = true
        }
        return allowed ? .allow : .notApplicable
    }

    private static func strings(_ value: Any?) -> [String]? {
        if let single = value as? String { return [single] }
        if let list = value as? [Any] { return list.compactMap { $0 as? String } }
        if let bool = value as? Bool { return [bool ? "true" : "false"] }
        return nil
    }

    private static func isPrincipalName(_ name: String) -> Bool {
        (name.count == 12 && name.allSatisfy(\.isNumber)) || name.hasPrefix("arn:aws:iam::") || name.hasPrefix("arn:aws:sts::")
    }

    /// IAM's `*` (any run) and `?` (any one character) matching.
    static func wildcardMatch(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        let p = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
        let t = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Whether a policy principal name designates the caller. An account ID or its `:root` ARN
    /// means every principal of that account; a role ARN covers that role's sessions.
    static func principal(_ name: String, matches caller: SimPrincipal) -> Bool {
        if name == caller.account || name == "arn:aws:iam::\(caller.account):root" { return true }
        if name == caller.arn { return true }
        let roleARNPrefix = "arn:aws:iam::\(caller.account):role/"
        let sessionPrefix = "arn:aws:sts::\(caller.account):assumed-role/"
        if name.hasPrefix(roleARNPrefix), caller.arn.hasPrefix(sessionPrefix) {
            let roleName = name.split(separator: "/").last.map(String.init) ?? ""
            let callerRole = caller.arn.dropFirst(sessionPrefix.count).split(separator: "/").first.map(String.init) ?? ""
            return roleName == callerRole
        }
        return false
    }
}

extension S3BucketPolicy.Statement {
    func applies(to caller: SimPrincipal, action: String, resource: String) -> Bool {
        let principalMatch = principals.map { names in names.contains { S3BucketPolicy.principal($0, matches: caller) } } ?? true
        guard principalMatch != notPrincipal else { return false }
        let actionMatch = actions.contains { S3BucketPolicy.wildcardMatch($0, action, caseInsensitive: true) }
        guard actionMatch != notAction else { return false }
        let resourceMatch = resources.contains { S3BucketPolicy.wildcardMatch($0, resource) }
        guard resourceMatch != notResource else { return false }
        return conditions.allSatisfy { $0.holds(for: caller) }
    }
}

extension S3BucketPolicy.Condition {
    /// Evaluates the condition keys the simulator knows; unknown keys or operators never hold.
    func holds(for caller: SimPrincipal) -> Bool {
        let actual: String
        switch key.lowercased() {
        case "aws:principalaccount": actual = caller.account
        case "aws:principalarn": actual = caller.arn
        // Our clients always reach S3 over TLS; the simulator's loopback stands in for that.
        case "aws:securetransport": actual = "true"
        default: return false
        }
        let base = op.replacingOccurrences(of: "IfExists", with: "")
        switch base {
        case "StringEquals", "ArnEquals", "Bool": return values.contains(actual)
        case "StringEqualsIgnoreCase": return values.contains { $0.lowercased() == actual.lowercased() }
        case "StringLike", "ArnLike": return values.contains { S3BucketPolicy.wildcardMatch($0, actual) }
        case "StringNotEquals", "ArnNotEquals": return !values.contains(actual)
        case "StringNotLike", "ArnNotLike": return !values.contains { S3BucketPolicy.wildcardMatch($0, actual) }
        default: return false
        }
    }
}
