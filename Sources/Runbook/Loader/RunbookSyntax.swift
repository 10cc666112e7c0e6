/// The runbook format's keys and patterns, shared by the loader and its hints. The JSON Schema in
/// `Runbooks/schema/runbook-v1.schema.json` spells the same rules for editors.
enum RunbookSyntax {
    static let apiVersion = "cutover/v1"

    static let topLevelKeys = [
        "apiVersion", "name", "description", "region", "accounts", "window", "approvals", "parameters", "steps", "guard",
    ]
    static let guardKeys = ["alarms", "account"]
    static let requiredTopLevelKeys = ["apiVersion", "name", "region", "steps"]
    static let accountKeys = ["role", "externalId", "id"]
    static let windowKeys = ["start", "end", "onOverrun"]
    static let approvalKeys = ["approvers", "required", "distinct", "allowInitiator", "timeout", "onTimeout"]
    static let parameterKeys = ["type", "default", "description"]
    static let stepKeys = [
        "id", "uses", "with", "message", "needs", "retry", "timeout", "onFailure", "window", "approval",
    ]
    static let fixedRetryKeys = ["every", "for", "attempts", "on"]
    static let exponentialRetryKeys = ["backoff", "initial", "multiplier", "max", "jitter", "attempts", "for", "on"]

    static let runbookName = "[a-z0-9]([a-z0-9-]*[a-z0-9])?"
    static let stepID = "[a-z0-9][a-z0-9_-]*"
    static let accountName = "[A-Za-z0-9][A-Za-z0-9_-]*"
    static let parameterName = "[A-Za-z_][A-Za-z0-9_]*"
    static let region = "[a-z]{2}(-[a-z]+)+-[0-9]+"
    static let roleARN = "arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+"
    static let accountID = "[0-9]{12}"
    static let approver = "(group|user):[A-Za-z0-9._-]+"

    /// The 12-digit account ID inside a role ARN (`arn:aws:iam::111111111111:role/X`).
    static func accountID(inRole arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[4].count == 12, parts[4].allSatisfy(\.isNumber) else { return nil }
        return String(parts[4])
    }
}
