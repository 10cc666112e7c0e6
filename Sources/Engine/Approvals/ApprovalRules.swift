import Runbook

/// Whether an identity may approve a gate under a policy — pure, so the daemon can explain a
/// refusal before anything is journaled.
public enum ApprovalRules {
    /// Nil when `identity` may approve; otherwise the refusal, saying why.
    public static func refusal(
        policy: ApprovalPolicy, identity: OperatorIdentity, initiator: OperatorIdentity, previous: [ApprovalDecided],
        step: String
    ) -> EngineError? {
        if !policy.approvers.isEmpty, !isApprover(identity, policy.approvers) {
            let listed = policy.approvers.map(\.description).joined(separator: ", ")
            return EngineError(
                .notAnApprover,
                "\(identity.user) may not approve \(step): approvers are \(listed)")
        }
        if !policy.allowInitiator, identity.uid == initiator.uid || identity.user == initiator.user {
            return EngineError(
                .initiatorMayNotApprove,
                "\(identity.user) started this run and the runbook does not allow the initiator to approve "
                    + "(approvals.allowInitiator: false); ask another approver")
        }
        if policy.distinct, previous.contains(where: { $0.verdict == .approved && $0.by.user == identity.user }) {
            return EngineError(
                .alreadyApproved,
                "\(identity.user) already approved \(step); \(policy.required) distinct approvers are required")
        }
        return nil
    }

    public static func isApprover(_ identity: OperatorIdentity, _ approvers: [Approver]) -> Bool {
        approvers.contains { approver in
            switch approver {
            case let .user(name): return name == identity.user
            case let .group(name): return identity.groups.contains(name)
            }
        }
    }
}
