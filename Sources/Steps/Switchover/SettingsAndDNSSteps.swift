import Engine
import Runbook

/// The switch-over steps that change where the application looks: its secret
/// (`secretsmanager.put-secret-value`), a Parameter Store value (`ssm.put-parameter`) and its DNS
/// name (`route53.change-record`).
public enum SettingsAndDNSSteps {
    public static var definitions: [any StepDefinition] {
        [SecretsManagerPutSecretValueDefinition(), SSMPutParameterDefinition(), Route53ChangeRecordDefinition()]
    }

    /// The executors of every primitive these steps expand into, acting through `sessions`.
    public static func executors(sessions: any AccountSessions) -> [(String, any Step)] {
        [
            (SecretsManagerPutSecretValueDefinition.type, SecretsManagerPutSecretValueStep(sessions: sessions)),
            (SSMPutParameterDefinition.type, SSMPutParameterStep(sessions: sessions)),
            (Route53ChangeRecordDefinition.readType, Route53ReadRecordStep(sessions: sessions)),
            (Route53ChangeRecordDefinition.upsertType, Route53UpsertRecordStep(sessions: sessions)),
            (Route53ChangeRecordDefinition.waitType, Route53WaitChangeStep(sessions: sessions)),
        ]
    }
}
