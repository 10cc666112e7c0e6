import Engine
import Runbook

/// The load balancer switch-over steps: `elbv2.maintenance-page` and `elbv2.remove-maintenance-page`.
public enum ELBv2Steps {
    public static var definitions: [any StepDefinition] { [MaintenancePageDefinition(), RemoveMaintenancePageDefinition()] }

    public static func executors(sessions: any AccountSessions) -> [(String, any Step)] {
        [
            (MaintenancePageDefinition.type, MaintenancePageStep(sessions: sessions)),
            (RemoveMaintenancePageDefinition.type, RemoveMaintenancePageStep(sessions: sessions)),
        ]
    }
}
