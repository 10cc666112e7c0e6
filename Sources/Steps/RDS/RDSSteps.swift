import Engine
import Runbook

/// The RDS steps: `rds.move-instance`, `rds.move-cluster` (Aurora), `rds.decommission-instance`
/// and their primitives (issue 5). The snapshot chain (snapshot, wait, share, copy, wait for the
/// copy) is one set of primitives over the kind of resource moved (`RDSInstanceKind`,
/// `RDSClusterKind`), registered under each kind's step types — the ones plans and journals name.
/// The share-key primitives (issue 17) join it: a copy under a customer managed key in the source
/// for sources under `aws/rds`, the key itself when the run creates it, and their removal.
public enum RDSSteps {
    public static var definitions: [any StepDefinition] {
        [RDSMoveInstanceDefinition(), RDSMoveClusterDefinition(), RDSDecommissionInstanceDefinition()]
    }

    /// The executors of every primitive `rds.move-instance`, `rds.move-cluster` and
    /// `rds.decommission-instance` expand into,
    /// acting through `sessions`.
    public static func executors(sessions: any AccountSessions) -> [String: any Step] {
        let own: [String: any Step] = [
            "rds.preflight-move": RDSPreflightStep(sessions: sessions),
            "rds.restore-instance": RDSRestoreStep(sessions: sessions),
            "rds.wait-instance": RDSWaitStep<RDSInstanceKind>(sessions: sessions, target: .restored),
            "rds.verify-restore": RDSVerifyStep(sessions: sessions),
            "rds.preflight-cluster-move": RDSClusterPreflightStep(sessions: sessions),
            "rds.restore-cluster": RDSClusterRestoreStep(sessions: sessions),
            "rds.wait-cluster": RDSWaitStep<RDSClusterKind>(sessions: sessions, target: .restored),
            "rds.create-cluster-members": RDSClusterMembersStep(sessions: sessions),
            "rds.wait-cluster-members": RDSWaitStep<RDSClusterKind>(sessions: sessions, target: .members),
            "rds.verify-cluster": RDSClusterVerifyStep(sessions: sessions),
            "rds.delete-instance": RDSDecommissionStep(sessions: sessions),
            RDSShareKeyStep.type: RDSShareKeyStep(sessions: sessions),
            RDSShareKeyDeletionStep.type: RDSShareKeyDeletionStep(sessions: sessions),
        ]
        return own.merging(snapshotChain(RDSInstanceKind.self, sessions: sessions)) { $1 }
            .merging(snapshotChain(RDSClusterKind.self, sessions: sessions)) { $1 }
    }

    /// The snapshot chain's executors for one kind, under its step types.
    static func snapshotChain<Kind: RDSResourceKind>(_ kind: Kind.Type, sessions: any AccountSessions) -> [String: any Step] {
        let types = Kind.chainTypes
        return [
            types.snapshot: RDSSnapshotStep<Kind>(sessions: sessions),
            types.waitSnapshot: RDSWaitStep<Kind>(sessions: sessions, target: .snapshot),
            types.share: RDSShareStep<Kind>(sessions: sessions),
            types.copy: RDSCopyStep<Kind>(sessions: sessions),
            types.waitCopy: RDSWaitStep<Kind>(sessions: sessions, target: .copy),
            types.rekey: RDSShareCopyStep<Kind>(sessions: sessions),
            types.waitRekey: RDSWaitStep<Kind>(sessions: sessions, target: .shareCopy),
            types.removeShareCopy: RDSShareCopyRemovalStep<Kind>(sessions: sessions),
        ]
    }
}
