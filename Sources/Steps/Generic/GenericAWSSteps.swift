import AWSServices
import Engine
import Runbook

/// `aws.call` and `aws.wait`: any operation of a catalog service.
public enum GenericAWSSteps {
    public static var definitions: [any StepDefinition] { [AWSCallDefinition(), AWSWaitDefinition()] }

    public static func executors(sessions: any AccountSessions, catalog: AWSModelCatalog = .shared) -> [(String, any Step)] {
        [
            (AWSCallDefinition.type, AWSCallStep(sessions: sessions, catalog: catalog)),
            (AWSWaitDefinition.type, AWSWaitStep(sessions: sessions, catalog: catalog)),
        ]
    }
}
