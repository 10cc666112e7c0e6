import Engine
import Runbook

/// The RDS steps: `rds.move-instance` and its primitives (issue 5).
public enum RDSSteps {
    public static var definitions: [any StepDefinition] { [RDSMoveInstanceDefinition()] }

    /// The executors of every primitive `rds.move-instance` expands into, acting through `sessions`.
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
        ]
    }
}
