import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import Synchronization
import TestSupport
import Testing

/// `route53.wait-change`'s timing, which moto cannot show (its GetChange is always `INSYNC`):
/// a loopback Route 53 that keeps a change `PENDING` for a while, our real client over HTTP, the
/// engine on a virtual clock. The polls come `every` apart and the wait gives up `within` after
/// the UPSERT was submitted.
@Suite struct Route53WaitTimingTests {
    /// Answers ListResourceRecordSets (no record), ChangeResourceRecordSets (`PENDING`) and
    /// GetChange (`PENDING` for the first `pendingPolls` calls, then `INSYNC`).
    final class PendingRoute53: Sendable {
        final class Counter: Sendable {
            let count = Mutex(0)
        }
        let counter = Counter()
        let server: LoopbackHTTPServer
        var polls: Int { counter.count.withLock { $0 } }

        init(pendingPolls: Int) throws {
            let counter = self.counter
            server = try LoopbackHTTPServer { request in
                let xml = { (body: String) in
                    LoopbackHTTPServer.Reply.text(200, body, headers: [("Content-Type", "text/xml"), ("x-amzn-RequestId", "req-1")])
                }
                if request.method == "GET", request.path.hasSuffix("/rrset") {
                    return xml(
                        "<ListResourceRecordSetsResponse><ResourceRecordSets/><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>"
                    )
                }
                if request.method == "POST", request.path.hasSuffix("/rrset/") {
                    return xml(
                        "<ChangeResourceRecordSetsResponse><ChangeInfo><Id>/change/C42</Id><Status>PENDING</Status><SubmittedAt>2026-12-01T00:00:00Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>"
                    )
                }
                if request.method == "GET", request.path == "/2013-04-01/change/C42" {
                    let seen = counter.count.withLock {
                        $0 += 1
                        return $0
                    }
                    let status = seen <= pendingPolls ? "PENDING" : "INSYNC"
                    return xml(
                        "<GetChangeResponse><ChangeInfo><Id>/change/C42</Id><Status>\(status)</Status><SubmittedAt>2026-12-01T00:00:00Z</SubmittedAt></ChangeInfo></GetChangeResponse>"
                    )
                }
                return .text(404, "<ErrorResponse><Error><Code>NotFound</Code></Error></ErrorResponse>")
            }
        }
    }

    /// Clients for every account, all to the loopback server (no identity check: nothing to check).
    struct LoopbackSessions: AccountSessions {
        let url: String
        var region: String { "ap-northeast-1" }
        func accountId(_ account: String) -> String? { "333333333333" }
        func client(_ service: AWSService, account: String) async throws -> AWSClient {
            AWSClient(
                service: service, region: region,
                credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDLOOP", secretAccessKey: "loop")),
                endpoints: EndpointResolver(overrideURL: url), retry: .disabled, account: "333333333333")
        }
    }

    func run(pendingPolls: Int, within: String) async throws -> (EngineFixture, RunExecutor, PendingRoute53) {
        let route53 = try PendingRoute53(pendingPolls: pendingPolls)
        let fixture = try EngineFixture()
        let runbook = try RunbookLoader(catalog: StepLibrary.catalog).load(
            text: """
                apiVersion: cutover/v1
                name: dns
                region: ap-northeast-1
                accounts:
                  dns: { id: "333333333333" }
                steps:
                  - id: switch-dns
                    uses: route53.change-record
                    with: { account: dns, hostedZoneId: Z1, name: admin.example.com, type: A, ttl: 60, values: [192.0.2.1], within: \(within), every: 10s }
                """, file: "dns.yaml")
        let plan = try RunbookPlanner(catalog: StepLibrary.catalog).plan(runbook, parameters: [:])
        var registry = StepRegistry()
        for (type, step) in SettingsAndDNSSteps.executors(sessions: LoopbackSessions(url: route53.server.baseURL)) {
            registry.register(type, step)
        }
        fixture.registry = registry
        try fixture.reopen()
        return (fixture, try await fixture.start(plan), route53)
    }

    @Test func aPendingChangeIsPolledEveryIntervalUntilInSync() async throws {
        let (fixture, run, route53) = try await run(pendingPolls: 3, within: "5m")
        defer { route53.server.stop() }
        let started = fixture.clock.now()
        #expect(await fixture.driver.drive(run) == .finished(.completed))
        #expect(route53.polls == 4)
        #expect(await run.state.steps["switch-dns.wait"]?.outputs["status"] == "INSYNC")
        #expect(await run.state.steps["switch-dns.upsert"]?.outputs["changeId"] == "C42")
        // Three PENDING answers, 10 s apart on the engine's clock, then INSYNC.
        #expect(fixture.clock.now().timeIntervalSince(started) == 30)
    }

    @Test func aChangeThatStaysPendingStopsTheWaitAfterItsLimit() async throws {
        let (fixture, run, route53) = try await run(pendingPolls: 1_000, within: "1m")
        defer { route53.server.stop() }
        let started = fixture.clock.now()
        let stop = await fixture.driver.drive(run)
        #expect(stop == .waitingForOperator, "\(stop)")
        let wait = await run.snapshot().steps.first { $0.id == "switch-dns.wait" }
        #expect(wait?.lastError?.code == "WaitTimeout", "\(String(describing: wait?.lastError))")
        #expect(wait?.lastError?.message.contains("still PENDING 1m after it was submitted") == true)
        #expect(fixture.clock.now().timeIntervalSince(started) == 60)
        #expect(route53.polls == 7)
    }
}
