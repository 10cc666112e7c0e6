import Engine

/// Who may use the control API, beyond the socket's own permissions: root and the daemon's user
/// always; members of the operator groups may act on runs; members of the approver groups may
/// approve and reject (what the runbook's policy then allows) and read. Nobody is trusted by a
/// name in a request: the identity comes from SO_PEERCRED.
public struct ControlAccess: Sendable, Equatable {
    public enum Role: Sendable, Equatable { case none, approver, `operator` }

    public var operatorGroups: Set<String>
    public var approverGroups: Set<String>
    public var daemonUid: UInt32

    public init(operatorGroups: [String], approverGroups: [String], daemonUid: UInt32) {
        self.operatorGroups = Set(operatorGroups)
        self.approverGroups = Set(approverGroups)
        self.daemonUid = daemonUid
    }

    public func role(of identity: OperatorIdentity) -> Role {
        if identity.uid == 0 || identity.uid == daemonUid { return .operator }
        let groups = Set(identity.groups)
        if !groups.isDisjoint(with: operatorGroups) { return .operator }
        if !groups.isDisjoint(with: approverGroups) { return .approver }
        return .none
    }

    /// Why `identity` may not do what needs `needed`, or nil when it may.
    public func refusal(for identity: OperatorIdentity, needs needed: Role) -> String? {
        let role = role(of: identity)
        switch (needed, role) {
        case (.none, _), (.approver, .approver), (_, .operator): return nil
        case (.approver, .none):
            return "\(identity) is in none of the groups that may use cutoverd (\(describe(approverGroups.union(operatorGroups)))); "
                + "ask an administrator to add you to one"
        case (.operator, _):
            return "\(identity) may approve but not operate runs: that needs membership of \(describe(operatorGroups))"
        }
    }

    private func describe(_ groups: Set<String>) -> String {
        groups.isEmpty ? "no group is configured" : groups.sorted().joined(separator: ", ")
    }
}
