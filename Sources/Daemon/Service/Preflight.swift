import AWSClient
import ControlProtocol
import Engine
import Foundation
import Runbook
import Steps

/// `cutoverctl plan --preflight`: read-only checks before a run — today, that every account the
/// runbook names is reachable with the daemon's credentials and really is the account declared
/// (STS GetCallerIdentity after AssumeRole). Nothing is journaled; nothing changes in AWS.
enum Preflight {
    static func run(_ plan: RunbookPlan, sessions: any AccountSessions) async -> [PreflightCheck] {
        var checks: [PreflightCheck] = []
        for account in plan.accounts {
            do {
                let sts = try await sessions.sts(account.name)
                let identity = try await sts.getCallerIdentity()
                checks.append(PreflightCheck(
                    account: account.name, check: "identity", outcome: .ok,
                    detail: "acts as \(identity.arn) in \(identity.account)"
                        + (account.accountId == nil ? " (the runbook declares no account ID to compare with)" : "")))
            } catch {
                checks.append(PreflightCheck(account: account.name, check: "identity", outcome: .failed, detail: "\(error)"))
            }
        }
        if plan.steps.contains(where: { $0.type.hasPrefix("s3.") && $0.reversibility == .irreversible }) {
            checks.append(PreflightCheck(
                account: nil, check: "bucket-name-hold", outcome: .warning,
                detail: "after the source bucket is deleted AWS may hold its name for up to 48–72 h, and once free anyone can take it; "
                    + "the runbook's forced wait and re-create loop cover the usual hour"))
        }
        return checks
    }
}
