import Engine
import Runbook

/// The RDS steps: `rds.move-instance`, `rds.move-cluster` (Aurora), `rds.decommission-instance`
/// and their primitives (issue 5). The snapshot, wait, share and copy primitives are one set over
/// the kind of resource moved (`RDSInstanceKind`, `RDSClusterKind`); their step types stay as
/// journals name them.
public enum RDSSteps {
    public static var definitions: [any StepDefinition] { [RDSMoveInstanceDefinition(), RDSMoveClusterDefinition(), RDSDecommissionInstanceDefinition()] }

    /// The executors of every primitive `rds.move-instance`, `rds.move-cluster` and
    /// `rds.decommission-instance` expand into,
    /// acting through `sessions`.
    public static func executors(sessions: any AccountSessions) -> [String: any Step] {
        [
            "rds.preflight-move": RDSPreflightStep(sessions: sessions),
            "rds.snapshot-instance": RDSSnapshotStep<RDSInstanceKind>(sessions: sessions),
            "rds.wait-snapshot": RDSWaitStep<RDSInstanceKind>(sessions: sessions, target: .snapshot),
            "rds.share-snapshot": RDSShareStep<RDSInstanceKind>(sessions: sessions),
            "rds.copy-shared-snapshot": RDSCopyStep<RDSInstanceKind>(sessions: sessions),
            "rds.wait-snapshot-copy": RDSWaitStep<RDSInstanceKind>(sessions: sessions, target: .copy),
            "rds.restore-instance": RDSRestoreStep(sessions: sessions),
            "rds.wait-instance": RDSWaitStep<RDSInstanceKind>(sessions: sessions, target: .restored),
            "rds.verify-restore": RDSVerifyStep(sessions: sessions),
            "rds.preflight-cluster-move": RDSClusterPreflightStep(sessions: sessions),
            "rds.snapshot-cluster": RDSSnapshotStep<RDSClusterKind>(sessions: sessions),
            "rds.wait-cluster-snapshot": RDSWaitStep<RDSClusterKind>(sessions: sessions, target: .snapshot),
            "rds.share-cluster-snapshot": RDSShareStep<RDSClusterKind>(sessions: sessions),
            "rds.copy-shared-cluster-snapshot": RDSCopyStep<RDSClusterKind>(sessions: sessions),
            "rds.wait-cluster-snapshot-copy": RDSWaitStep<RDSClusterKind>(sessions: sessions, target: .copy),
            "rds.restore-cluster": RDSClusterRestoreStep(sessions: sessions),
            "rds.wait-cluster": RDSWaitStep<RDSClusterKind>(sessions: sessions, target: .restored),
            "rds.create-cluster-members": RDSClusterMembersStep(sessions: sessions),
            "rds.wait-cluster-members": RDSWaitStep<RDSClusterKind>(sessions: sessions, target: .members),
            "rds.verify-cluster": RDSClusterVerifyStep(sessions: sessions),
            "rds.delete-instance": RDSDecommissionStep(sessions: sessions),
        ]
    }
}
