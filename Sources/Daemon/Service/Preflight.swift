import AWSClient
import ControlProtocol
import Engine
import Foundation
import Runbook
import Steps

/// `cutoverctl plan --preflight`: read-only checks before a run — that every account the runbook
/// names is reachable with the daemon's credentials and really is the account declared (STS
/// GetCallerIdentity after AssumeRole), and for each same-name bucket move the S3 checks of
/// `S3Preflight`. Nothing is journaled; nothing changes in AWS.
enum Preflight {
    /// - Parameter now: the daemon's clock (retention dates are compared with it).
    static func run(_ plan: RunbookPlan, sessions: any AccountSessions, now: @escaping @Sendable () -> Date) async -> [PreflightCheck] {
        var checks: [PreflightCheck] = []
        for account in plan.accounts {
            do {
                let sts = try await sessions.sts(account.name)
                let identity = try await sts.getCallerIdentity()
                checks.append(
                    PreflightCheck(
                        account: account.name, check: "identity", outcome: .ok,
                        detail: "acts as \(identity.arn) in \(identity.account)"
                            + (account.accountId == nil ? " (the runbook declares no account ID to compare with)" : "")))
            } catch {
                checks.append(PreflightCheck(account: account.name, check: "identity", outcome: .failed, detail: "\(error)"))
            }
        }
        // Every same-name move: objects, Object Lock, MFA delete, aws/s3 encryption, staging name, name hold.
        for item in await S3Preflight(sessions: sessions, now: now).run(plan) {
            let outcome: PreflightCheck.Outcome
            switch item.severity {
            case .ok: outcome = .ok
            case .warning: outcome = .warning
            case .blocker: outcome = .failed
            }
            checks.append(PreflightCheck(account: item.account, check: item.check, outcome: outcome, detail: item.detail))
        }
        return checks
    }
}
