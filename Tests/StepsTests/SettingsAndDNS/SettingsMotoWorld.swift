import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport

/// The real `secretsmanager.put-secret-value`, `ssm.put-parameter` and `route53.change-record`
/// executors against moto with signature checking: the application's secret and parameters in
/// the `product` account (moto's account A), the DNS zone in a third account, `dns` (moto's
/// account B, reached by AssumeRole as the daemon would). The engine runs on a virtual clock;
/// requests are signed with the wall clock (moto checks the signature's time).
///
/// Each world names its secret, parameters and zone uniquely, so tests share one moto.
final class SettingsMotoWorld: Sendable {
    let moto: MotoFixture
    let fixture: EngineFixture
    let secretId: String
    let parameter: String
    let secureParameter: String
    let domain: String
    /// Values a test seeds and then looks for in the journal: none may ever appear there.
    let password: String
    let oldSecure: String

    init() throws {
        moto = try MotoFixture.load()
        fixture = try EngineFixture(now: Date(), inMemoryFilesystem: true)
        let unique = MotoFixture.uniqueName("app")
        secretId = "admin-console/\(unique)/db"
        parameter = "/admin-console/\(unique)/db-host"
        secureParameter = "/admin-console/\(unique)/db-url"
        domain = "\(unique).example.com"
        password = "pw-\(UUID().uuidString)"
        oldSecure = "mysql://admin:\(password)@old-db.internal:3306/admin"
    }

    var secrets: SecretsManagerClient { SecretsManagerClient(client: moto.clientA(.secretsManager)) }
    var ssm: SSMClient { SSMClient(client: moto.clientA(.ssm)) }
    func route53B() async throws -> Route53Client { Route53Client(client: try await moto.clientB(.route53)) }

    /// The original secret string: a JSON object like RDS's, with a password that must never
    /// reach the journal.
    var originalSecret: String {
        #"{"engine":"mysql","host":"old-db.internal","password":"\#(password)","port":3306,"url":"\#(newURL)","username":"admin"}"#
    }

    /// The SecureString's new value: the secret's `url` key, read at run time (`valueFrom`).
    var newURL: String { "mysql://admin:\(password)@new-db.internal:5432/admin" }

    /// Creates the secret (returns its first version), the existing SecureString parameter and
    /// the zone in account B (returns its ID) with the record that is to be switched — only what
    /// the steps in `include` use (the crash harnesses seed hundreds of worlds).
    func seed(
        existingRecord: Route53RecordSet? = nil, include: Set<String> = SettingsMotoWorld.allSteps
    ) async throws -> (secretVersion: String, zone: String) {
        var version = ""
        if !include.isDisjoint(with: ["set-secret", "set-url"]) {
            version = try await MotoSwitchoverSetup.createSecret(moto.clientA(.secretsManager), name: secretId, string: originalSecret)
        }
        if include.contains("set-url") {
            try await MotoSwitchoverSetup.putParameter(moto.clientA(.ssm), name: secureParameter, value: oldSecure, type: "SecureString")
        }
        var zone = "Z-NOT-SEEDED"
        if !include.isDisjoint(with: ["switch-dns", "mark-version"]) {
            zone = try await MotoSwitchoverSetup.createHostedZone(try await moto.clientB(.route53), domain: domain)
            if let existingRecord { _ = try await route53B().changeRecordSet(zone: zone, action: .upsert, existingRecord) }
        }
        return (version, zone)
    }

    var accountsYAML: String {
        """
        accounts:
          product: { id: "\(moto.accountA)" }
          dns: { role: "\(moto.roleArnB)" }
        approvals: { approvers: ["group:cutover-approvers"], required: 1 }
        """
    }

    /// Every step id `runbook` can include.
    static let allSteps: Set<String> = ["set-secret", "set-host", "set-url", "switch-dns", "mark-version"]

    /// The whole switch-over of the application's settings and name, reading each other's
    /// outputs: the secret's new version ID goes into a TXT record, the secret's ARN into the
    /// plain parameter (literals when the secret step is left out). `gate: true` ends with an
    /// approval, where tests look and roll back.
    func runbook(zone: String, gate: Bool = true, alias: Bool = true, include: Set<String> = SettingsMotoWorld.allSteps) -> String {
        let record =
            alias
            ? #"alias: { hostedZoneId: Z35SXDOTRQ7X7K, dnsName: "product-alb-1.us-east-1.elb.amazonaws.com" }"#
            : "ttl: 60, values: [\"192.0.2.20\"]"
        let withSecret = include.contains("set-secret")
        let steps: [(String, String)] = [
            (
                "set-secret",
                """
                  - id: set-secret
                    uses: secretsmanager.put-secret-value
                    with: { account: product, secretId: "\(secretId)", merge: { host: new-db.internal, port: "5432" } }
                """
            ),
            (
                "set-host",
                """
                  - id: set-host
                    uses: ssm.put-parameter
                    with: { account: product, name: "\(parameter)", value: "\(withSecret ? "${steps.set-secret.outputs.arn}" : "new-db.internal")" }
                """
            ),
            (
                "set-url",
                """
                  - id: set-url
                    uses: ssm.put-parameter
                    with: { account: product, name: "\(secureParameter)", type: SecureString, valueFrom: { secretId: "\(secretId)", key: url } }
                """
            ),
            (
                "switch-dns",
                """
                  - id: switch-dns
                    uses: route53.change-record
                    with: { account: dns, hostedZoneId: "\(zone)", name: "admin.\(domain)", type: A, \(record) }
                """
            ),
            (
                "mark-version",
                """
                  - id: mark-version
                    uses: route53.change-record
                    with: { account: dns, hostedZoneId: "\(zone)", name: "version.\(domain)", type: TXT, ttl: 60,
                            values: ["\\"\(withSecret ? "${steps.set-secret.outputs.versionId}" : "cutover")\\""] }
                """
            ),
        ]
        return """
            apiVersion: cutover/v1
            name: settings-switch
            region: \(moto.region)
            \(accountsYAML)
            steps:
            \(steps.filter { include.contains($0.0) }.map(\.1).joined(separator: "\n"))
            \(gate ? "  - id: look\n    uses: approval\n    message: Check the admin console, then approve." : "")
            """
    }

    func plan(_ yaml: String) throws -> RunbookPlan {
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(text: yaml, file: "settings.yaml")
        return try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
    }

    /// The registry of real executors on moto.
    func registry(_ plan: RunbookPlan) -> StepRegistry {
        let sessions = RunbookAccountSessions(
            accounts: plan.accounts, region: plan.region, base: StaticCredentialProvider(moto.credentialsA),
            endpoints: EndpointResolver(overrideURL: moto.endpoint),
            retry: RetryConfiguration(maxAttempts: 4, maxBackoff: .milliseconds(50), baseDelay: .milliseconds(5)),
            sessionName: "cutover-moto", now: { Date() })
        var registry = StepRegistry()
        for (type, step) in SettingsAndDNSSteps.executors(sessions: sessions) { registry.register(type, step) }
        return registry
    }

    func start(_ yaml: String) async throws -> RunExecutor {
        let plan = try plan(yaml)
        fixture.registry = registry(plan)
        try fixture.reopen()
        return try await fixture.start(plan)
    }

    static func failures(_ run: RunExecutor) async -> String {
        await run.snapshot().steps.filter { $0.status != .succeeded }
            .map { "\($0.id): \($0.status) \($0.lastError?.description ?? "")" }.joined(separator: "\n")
    }

    /// At the final gate: roll back (as an approver). Elsewhere: nothing to do.
    static let rollBackAtTheGate: @Sendable (RunExecutor) async -> Bool = { run in
        let waiting = await run.snapshot().steps.contains { $0.id == "look" && $0.status == .awaitingApproval }
        guard waiting else { return false }
        return (try? await run.rollback(by: TestPeople.alice)) != nil
    }
}
