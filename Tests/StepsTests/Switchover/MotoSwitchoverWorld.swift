import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport

/// The switch-over executors (`elbv2.*`, `ecs.update-service`) against moto with signature
/// checking on, driven by the real engine on the fixture's virtual clock, every request counted.
/// moto's account A is the runbook's `legacy` (the load balancer) and `product` (the service).
final class MotoSwitchoverWorld: Sendable {
    let moto: MotoFixture
    let fixture: EngineFixture
    let counter: OperationCounter

    init() throws {
        moto = try MotoFixture.load()
        fixture = try EngineFixture(now: Date(), inMemoryFilesystem: true)
        counter = OperationCounter(CurlTransport.shared)
    }

    var elbv2: ELBv2Client { ELBv2Client(client: moto.clientA(.elbv2)) }
    var ecs: ECSClient { ECSClient(client: moto.clientA(.ecs)) }

    func runbook(_ steps: String) -> String {
        """
        apiVersion: cutover/v1
        name: moto-switchover
        region: \(moto.region)
        accounts:
          legacy: { id: "\(moto.accountA)" }
          product: { id: "\(moto.accountA)" }
        approvals: { approvers: ["group:cutover-approvers"], required: 1 }
        steps:
        \(steps)
        """
    }

    func plan(_ steps: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: runbook(steps), file: "switchover.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    /// Wires the engine to the switch-over executors on moto (the registry survives `reopen`).
    func wire(_ plan: RunbookPlan) throws {
        let sessions = RunbookAccountSessions(
            accounts: plan.accounts, region: plan.region, base: StaticCredentialProvider(moto.credentialsA),
            transport: counter, endpoints: EndpointResolver(overrideURL: moto.endpoint),
            retry: RetryConfiguration(maxAttempts: 4, maxBackoff: .milliseconds(50), baseDelay: .milliseconds(5)),
            sessionName: "cutover-moto", now: { Date() })
        var registry = StepRegistry()
        for (type, step) in ELBv2Steps.executors(sessions: sessions) { registry.register(type, step) }
        for (type, step) in ECSSteps.executors(sessions: sessions) { registry.register(type, step) }
        fixture.registry = registry
        try fixture.reopen()
    }

    func start(_ plan: RunbookPlan) async throws -> RunExecutor {
        try wire(plan)
        return try await fixture.start(plan)
    }

    /// The listener's rules other than the default one.
    func rules(_ listenerArn: String) async throws -> [ELBv2Rule] {
        try await elbv2.describeRules(listenerArn: listenerArn).filter { !$0.isDefault }
    }

    /// Approves every gate that waits, as an approver other than the initiator.
    static let approver: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
        return acted
    }

    /// Rolls the run back as soon as it waits for an approval.
    static let rollbacker: @Sendable (RunExecutor) async -> Bool = { run in
        let snapshot = await run.snapshot()
        guard snapshot.status == .running, snapshot.steps.contains(where: { $0.status == .awaitingApproval }) else { return false }
        return (try? await run.rollback(by: TestPeople.alice, comment: "abort")) != nil
    }

    static func failures(_ run: RunExecutor) async -> String {
        await run.snapshot().steps.filter { $0.status != .succeeded }
            .map { "\($0.id): \($0.status) \($0.lastError?.description ?? "")" }.joined(separator: "\n")
    }
}
