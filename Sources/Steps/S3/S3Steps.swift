import Engine
import Runbook

/// The S3 steps: `s3.copy-objects`, `s3.move-bucket` and their primitives (issue 5).
public enum S3Steps {
    public static var definitions: [any StepDefinition] { [] }

    public static func executors(sessions: any AccountSessions) -> [String: any Step] { [:] }
}
