/// The plan a rehearsal runs: the same steps, inputs, gates and timings, with one difference —
/// every gate may be answered by whoever rehearses. A rehearsal has no second person to approve
/// (`cutoverctl rehearse` answers every approval itself, each shown and listed in its report), so
/// the approvers list, the initiator rule and the distinct-approvers rule are lifted; how many
/// approvals each gate needs, its timeout and its message stay. Only a daemon configured with
/// `rehearsal: true` (allowed only against loopback endpoints) plans this way.
extension RunbookPlan {
    public func rehearsingApprovals() -> RunbookPlan {
        var plan = self
        for index in plan.steps.indices {
            let step = plan.steps[index]
            // A point of no return without a policy of its own is gated with the default policy
            // (`RunScheduler`); it gets the rehearsal's explicitly.
            if let policy = step.approval ?? (step.reversibility.isPointOfNoReturn ? ApprovalPolicy() : nil) {
                plan.steps[index].approval = Self.rehearsal(policy)
            }
            if let policy = step.undoApproval?.policy {
                plan.steps[index].undoApproval?.policy = Self.rehearsal(policy)
            }
        }
        plan.hash = plan.computeHash()
        return plan
    }

    static func rehearsal(_ policy: ApprovalPolicy) -> ApprovalPolicy {
        var policy = policy
        policy.approvers = []
        policy.allowInitiator = true
        policy.distinct = false
        return policy
    }
}
