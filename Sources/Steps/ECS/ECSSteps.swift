import Engine
import Runbook

/// The ECS switch-over step: `ecs.update-service` and its primitives.
public enum ECSSteps {
    public static var definitions: [any StepDefinition] { [ECSUpdateServiceDefinition()] }

    public static func executors(sessions: any AccountSessions) -> [(String, any Step)] {
        [
            (ECSUpdateServiceDefinition.readType, ECSReadServiceStep(sessions: sessions)),
            (ECSUpdateServiceDefinition.type, ECSUpdateServiceStep(sessions: sessions)),
            (ECSUpdateServiceDefinition.waitType, ECSWaitDeploymentStep(sessions: sessions)),
        ]
    }
}
