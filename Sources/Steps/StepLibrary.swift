import AWSClient
import Engine
import Runbook

/// Every cutover step Cutover ships: the definitions the planner needs and the executors the
/// engine runs, wired to the accounts of one run.
public enum StepLibrary {
    /// Step definitions beyond the engine's built-in `approval` and `wait`.
    public static var definitions: [any StepDefinition] {
        S3Steps.definitions + RDSSteps.definitions + SwitchoverSteps.definitions + ELBv2Steps.definitions + ECSSteps.definitions
            + SettingsAndDNSSteps.definitions + GenericAWSSteps.definitions
    }

    /// The catalog `cutoverctl validate`/`plan` and the daemon load runbooks with.
    public static var catalog: StepCatalog {
        definitions.reduce(StepCatalog.builtin) { $0.adding($1) }
    }

    /// Executors for every primitive type the definitions produce, acting through `sessions`.
    public static func registry(sessions: any AccountSessions) -> StepRegistry {
        registry(sessions: sessions, httpTransport: CurlTransport.shared)
    }

    /// The registry of a rehearsal (`cutoverd` with `rehearsal: true`): every step as in
    /// `registry(sessions:)`, but `http.check` answered by `HTTPCheckStandIn` for `plan`'s checks
    /// instead of reaching real URLs from a twin.
    public static func rehearsalRegistry(sessions: any AccountSessions, plan: RunbookPlan) -> StepRegistry {
        registry(sessions: sessions, httpTransport: HTTPCheckStandIn(plan: plan))
    }

    static func registry(sessions: any AccountSessions, httpTransport: any HTTPTransport) -> StepRegistry {
        var registry = StepRegistry()
        for (type, step) in S3Steps.executors(sessions: sessions) { registry.register(type, step) }
        for (type, step) in RDSSteps.executors(sessions: sessions) { registry.register(type, step) }
        for (type, step) in SwitchoverSteps.executors(transport: httpTransport) { registry.register(type, step) }
        for (type, step) in ELBv2Steps.executors(sessions: sessions) { registry.register(type, step) }
        for (type, step) in ECSSteps.executors(sessions: sessions) { registry.register(type, step) }
        for (type, step) in SettingsAndDNSSteps.executors(sessions: sessions) { registry.register(type, step) }
        for (type, step) in GenericAWSSteps.executors(sessions: sessions) { registry.register(type, step) }
        registry.runGuard = CloudWatchAlarmGuard(sessions: sessions)
        return registry
    }
}
