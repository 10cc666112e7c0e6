import AWSClient
import AWSServices
import Engine
import Foundation

/// The KMS checks of `plan --preflight` for a move with `kmsKeyMap`: every key policy must let
/// each account do what the move and its rollback ask of it (AWS-NOTES §3.4: kms:Decrypt to read
/// an SSE-KMS object, kms:GenerateDataKey to write one; a caller of another account needs both
/// the key policy and its own IAM policy, of which only the key policy is readable here):
///
/// - source key: the source account decrypts it (copy to staging) and encrypts with it (the copy
///   back of a rollback re-encrypts every object under it);
/// - target key: the source account encrypts with it (the copy to staging writes under it) and
///   decrypts it (the rollback reads staging); the target account decrypts it and encrypts with
///   it (copy back into the re-created bucket).
///
/// GetKeyPolicy only answers in the key's own account, so each key is read by its owner's session.
extension S3Preflight {
    func kmsKeyPolicies(sourceAccount: String, targetAccount: String, keyMap: [(String, String)]) async -> [Item] {
        guard !keyMap.isEmpty else { return [] }
        let sourceId = sessions.accountId(sourceAccount) ?? sourceAccount
        let targetId = sessions.accountId(targetAccount) ?? targetAccount
        var items: [Item] = []
        for (sourceKey, targetKey) in keyMap {
            let needs: [(key: String, account: String, owner: String, who: String, actions: [String], why: String)] = [
                (sourceKey, sourceAccount, sourceId, sourceId, ["kms:Decrypt"], "to read the objects for the copy to staging"),
                (
                    sourceKey, sourceAccount, sourceId, sourceId, ["kms:GenerateDataKey"],
                    "to re-encrypt them when a rollback copies them back"
                ),
                (targetKey, targetAccount, targetId, sourceId, ["kms:GenerateDataKey"], "to write the copies into staging"),
                (targetKey, targetAccount, targetId, sourceId, ["kms:Decrypt"], "to read staging when a rollback copies the objects back"),
                (
                    targetKey, targetAccount, targetId, targetId, ["kms:Decrypt", "kms:GenerateDataKey"],
                    "to copy staging into the re-created bucket"
                ),
            ]
            var policies: [String: KMSPolicyCheck] = [:]
            var missing: [String] = []
            var unreadable: [String] = []
            for need in needs {
                if policies[need.key] == nil {
                    guard let keyOwner = Self.keyAccount(need.key), keyOwner == need.owner else {
                        unreadable.append("\(need.key) is not a key ARN of \(need.owner)")
                        policies[need.key] = KMSPolicyCheck(statements: [])
                        continue
                    }
                    do {
                        let text = try await sessions.kms(need.account).getKeyPolicy(keyId: need.key).policy
                        policies[need.key] = try KMSPolicyCheck(text)
                    } catch {
                        unreadable.append("\(need.key): \(StepError(error).description)")
                        policies[need.key] = KMSPolicyCheck(statements: [])
                        continue
                    }
                }
                guard unreadable.allSatisfy({ !$0.hasPrefix(need.key) }), let policy = policies[need.key] else { continue }
                for action in need.actions where !policy.allows(account: need.who, action: action) {
                    missing.append("\(need.key) does not allow \(action) to account \(need.who) (\(need.why))")
                }
            }
            if !missing.isEmpty {
                items.append(
                    Item(
                        account: nil, check: "kms-key-policies", severity: .blocker,
                        detail: missing.joined(separator: "; ") + ". Add a key policy statement allowing those actions to "
                            + "arn:aws:iam::ACCOUNT:root (and the IAM policy of the role that runs the copy), then re-plan"))
            }
            if !unreadable.isEmpty {
                items.append(
                    Item(
                        account: nil, check: "kms-key-policies", severity: .warning,
                        detail: "cannot check the key policy: " + unreadable.joined(separator: "; ")))
            }
            if missing.isEmpty && unreadable.isEmpty {
                items.append(
                    Item(
                        account: nil, check: "kms-key-policies", severity: .ok,
                        detail: "\(sourceKey) → \(targetKey): the key policies let \(sourceId) decrypt and encrypt with both keys "
                            + "(copy to staging, rollback) and \(targetId) with the target key (copy back)"))
            }
        }
        return items
    }

    /// The account of a key ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
    static func keyAccount(_ arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", parts[2] == "kms", parts[5].hasPrefix("key/") else { return nil }
        return String(parts[4])
    }
}

/// A key policy read well enough to answer "may this account do that": an explicit Deny wins,
/// else an Allow naming the action (`kms:*`, `kms:GenerateDataKey*`) and the principal (`*`, the
/// account ID, `arn:aws:iam::ACCOUNT:root`, or any IAM ARN of the account). Conditions are not
/// evaluated (a conditional Allow counts as allowing): the check finds what is surely missing.
struct KMSPolicyCheck: Sendable {
    struct Statement: Sendable {
        var allow: Bool
        var principals: [String]
        var actions: [String]
    }

    var statements: [Statement]

    init(statements: [Statement]) { self.statements = statements }

    init(_ text: String) throws {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw XMLDecodeError(message: "the key policy is not a JSON object")
        }
        let raw = (object["Statement"] as? [[String: Any]]) ?? ((object["Statement"] as? [String: Any]).map { [$0] } ?? [])
        statements = raw.map { statement in
            var principals: [String] = []
            if let star = statement["Principal"] as? String {
                principals = [star]
            } else if let map = statement["Principal"] as? [String: Any] {
                principals = Self.strings(map["AWS"])
            }
            return Statement(
                allow: statement["Effect"] as? String == "Allow", principals: principals, actions: Self.strings(statement["Action"]))
        }
    }

    func allows(account: String, action: String) -> Bool {
        var allowed = false
        for statement in statements
        where statement.actions.contains(where: { Self.matches($0, action) })
            && statement.principals.contains(where: { Self.names($0, account) })
        {
            if !statement.allow { return false }
            allowed = true
        }
        return allowed
    }

    private static func names(_ principal: String, _ account: String) -> Bool {
        principal == "*" || principal == account || principal.hasPrefix("arn:aws:iam::\(account):")
    }

    private static func matches(_ pattern: String, _ action: String) -> Bool {
        let pattern = pattern.lowercased()
        let action = action.lowercased()
        if pattern == "*" || pattern == action { return true }
        if pattern.hasSuffix("*") { return action.hasPrefix(String(pattern.dropLast())) }
        return false
    }

    private static func strings(_ value: Any?) -> [String] {
        if let one = value as? String { return [one] }
        return (value as? [Any])?.compactMap { $0 as? String } ?? []
    }
}
