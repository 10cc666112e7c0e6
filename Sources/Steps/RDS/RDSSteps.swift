import Engine
import Runbook

/// The RDS steps: `rds.move-instance` and their primitives (issue 5).
public enum RDSSteps {
    public static var definitions: [any StepDefinition] { [] }

    public static func executors(sessions: any AccountSessions) -> [String: any Step] { [:] }
}
