import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport

/// `aws.call`, `aws.wait` and the alarm guard against moto (signature checking on) through our
/// own client, with the engine on the fixture's virtual clock (requests are signed with the wall
/// clock, which moto checks). Every step type's executor and the CloudWatch guard come from
/// `StepLibrary.registry`, as in cutoverd.
final class AWSCallMotoWorld: Sendable {
    let moto: MotoFixture
    let fixture: EngineFixture

    init() throws {
        moto = try MotoFixture.load()
        // Whole seconds: the journal keeps milliseconds, and the retry deadline of a wait is counted
        // from the journaled start, so a start rounded down to the millisecond could cut the last read.
        fixture = try EngineFixture(now: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)), inMemoryFilesystem: true)
    }

    func runbook(_ body: String, guard guardYAML: String = "") -> String {
        """
        apiVersion: cutover/v1
        name: aws-calls
        region: \(moto.region)
        accounts:
          product: { id: "\(moto.accountA)" }
        approvals: { approvers: ["group:cutover-approvers"], required: 1 }
        \(guardYAML)
        steps:
        \(body)
        """
    }

    func plan(_ yaml: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: yaml, file: "aws-calls.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    func sessions(for plan: RunbookPlan) -> RunbookAccountSessions {
        RunbookAccountSessions(
            accounts: plan.accounts, region: plan.region, base: StaticCredentialProvider(moto.credentialsA),
            endpoints: EndpointResolver(overrideURL: moto.endpoint),
            retry: RetryConfiguration(maxAttempts: 3, maxBackoff: .milliseconds(50), baseDelay: .milliseconds(5)),
            sessionName: "cutover-moto", now: { Date() })
    }

    func start(_ yaml: String) async throws -> RunExecutor {
        let plan = try plan(yaml)
        fixture.registry = StepLibrary.registry(sessions: sessions(for: plan))
        try fixture.reopen()
        return try await fixture.start(plan)
    }

    /// A generic client in account A for checks the test makes itself.
    func client(_ service: String) throws -> AWSGenericClient {
        guard let model = AWSModelCatalog.shared.service(service) else { throw LoopbackError("no \(service) in the catalog") }
        return AWSGenericClient(client: moto.clientA(model.clientService), model: model)
    }

    static func failures(_ run: RunExecutor) async -> String {
        await run.snapshot().steps.filter { $0.status != .succeeded }
            .map { "\($0.id): \($0.status) \($0.lastError?.description ?? "")" }.joined(separator: "\n")
    }

    /// Approves every gate that waits, as an approver other than the initiator.
    static let approver: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.filter { $0.status == .awaitingApproval }.map(\.id)
        var acted = false
        for step in waiting where (try? await run.approve(step: step, by: TestPeople.alice)) != nil { acted = true }
        return acted
    }
}

extension AWSParameterValue {
    /// `["A": "x"]`-style parameters for the test's own calls.
    static func fields(_ pairs: (String, AWSParameterValue)...) -> AWSParameterValue {
        .map(pairs.map { (key: $0.0, value: $0.1) })
    }

    static func strings(_ values: String...) -> AWSParameterValue { .list(values.map(AWSParameterValue.scalar)) }
}

extension AWSDocument {
    subscript(_ name: String) -> AWSDocument? {
        guard case .object(let members) = self else { return nil }
        return members[name]
    }

    subscript(_ index: Int) -> AWSDocument? {
        guard case .list(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
