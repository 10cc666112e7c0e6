import Engine
import Runbook

/// The RDS steps: `rds.move-instance`, `rds.move-cluster` (Aurora), `rds.decommission-instance`
/// and their primitives (issue 5).
public enum RDSSteps {
    public static var definitions: [any StepDefinition] { [RDSMoveInstanceDefinition(), RDSMoveClusterDefinition(), RDSDecommissionInstanceDefinition()] }

    /// The executors of every primitive `rds.move-instance`, `rds.move-cluster` and
    /// `rds.decommission-instance` expand into,
    /// acting through `sessions`.
    public static func executors(sessions: any AccountSessions) -> [String: any Step] {
        [
            "rds.preflight-move": RDSPreflightStep(sessions: sessions),
            "rds.snapshot-instance": RDSSnapshotStep(sessions: sessions),
            "rds.wait-snapshot": RDSWaitStep(sessions: sessions, target: .snapshot),
            "rds.share-snapshot": RDSShareStep(sessions: sessions),
            "rds.copy-shared-snapshot": RDSCopyStep(sessions: sessions),
            "rds.wait-snapshot-copy": RDSWaitStep(sessions: sessions, target: .copy),
            "rds.restore-instance": RDSRestoreStep(sessions: sessions),
            "rds.wait-instance": RDSWaitStep(sessions: sessions, target: .instance),
            "rds.verify-restore": RDSVerifyStep(sessions: sessions),
            "rds.preflight-cluster-move": RDSClusterPreflightStep(sessions: sessions),
            "rds.snapshot-cluster": RDSClusterSnapshotStep(sessions: sessions),
            "rds.wait-cluster-snapshot": RDSClusterWaitStep(sessions: sessions, target: .snapshot),
            "rds.share-cluster-snapshot": RDSClusterShareStep(sessions: sessions),
            "rds.copy-shared-cluster-snapshot": RDSClusterCopyStep(sessions: sessions),
            "rds.wait-cluster-snapshot-copy": RDSClusterWaitStep(sessions: sessions, target: .copy),
            "rds.restore-cluster": RDSClusterRestoreStep(sessions: sessions),
            "rds.wait-cluster": RDSClusterWaitStep(sessions: sessions, target: .cluster),
            "rds.create-cluster-members": RDSClusterMembersStep(sessions: sessions),
            "rds.wait-cluster-members": RDSClusterWaitStep(sessions: sessions, target: .members),
            "rds.verify-cluster": RDSClusterVerifyStep(sessions: sessions),
            "rds.delete-instance": RDSDecommissionStep(sessions: sessions),
        ]
    }
}
