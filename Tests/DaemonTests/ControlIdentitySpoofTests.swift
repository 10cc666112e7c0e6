import ControlProtocol
import Engine
import Foundation
import Glibc
import Journal
import TestSupport
import Testing

@testable import Daemon

/// Issue 9: an approval names whoever the kernel says is on the socket (SO_PEERCRED), and nothing
/// in the request can change that. Over a real unix socket to the real routes and engine: body
/// fields claiming another person are refused (400, nothing done); headers and query parameters
/// claiming one are ignored; the journal and the approvals view name the peer.
@Suite(.serialized) struct ControlIdentitySpoofTests {
    static let spoofFields = ["by", "user", "identity", "approver", "uid", "approvedBy", "initiator", "as"]
    static let spoofHeaders = [
        "X-Forwarded-User": "mallory", "X-Cutover-User": "mallory", "X-Remote-User": "mallory", "X-Uid": "4242",
        "Remote-User": "mallory", "X-Forwarded-For": "10.0.0.66", "Authorization": "Basic bWFsbG9yeTo=",
    ]

    static func body(_ fields: [String: Any]) throws -> Data { try JSONSerialization.data(withJSONObject: fields) }

    @Test func approvalsNameTheSocketPeerWhateverTheRequestClaims() async throws {
        let directory = try JournalFullTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let me = PeerIdentityResolver.system.identity(for: PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
        let daemon = try await JournalFullTests.Daemon(
            directory: directory, clock: ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000)),
            identify: { PeerIdentityResolver.system.identity(for: $0) })
        let socket = directory + "/cutoverd.sock"
        let server = ControlServer(
            listener: .path(socket, mode: 0o600, group: nil), handler: daemon.routes, log: DaemonLog(level: .warning))
        try await server.start()
        defer { Task { await server.stop() } }
        // The raw client blocks; off the cooperative pool, so the server's handlers keep their threads.
        func exchange(
            _ method: String, _ target: String, headers: [String: String] = [:], body: Data = Data()
        ) async throws -> ServerRawClient.Response {
            try await runOffPool {
                try ServerRawClient(path: socket).exchange(
                    method, target, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: body)
            }
        }

        let runbook = """
            apiVersion: cutover/v1
            name: spoof
            region: us-east-1
            approvals: { approvers: ["user:\(me.user)"], required: 1, allowInitiator: true }
            steps:
              - id: gate
                uses: approval
                message: Approve as yourself.
              - id: after
                uses: wait
                with: { for: 1m }
            """
        let started = try await exchange(
            "POST", "/v1/runs", body: try ControlJSON.encoder().encode(StartRunRequest(file: "spoof.yaml", runbook: runbook)))
        try #require(started.status == 201, "\(started.text)")
        let runId = try ControlJSON.decoder().decode(RunView.self, from: started.body).run.runId
        let runs = daemon.runs
        try await daemon.drive { await (try? runs.executor(runId).snapshot().steps.first?.status) == .awaitingApproval }

        // Every identity-claiming body field is refused, naming it; nothing is journaled.
        let before = try daemon.journal.records(stream: runId).count
        for field in Self.spoofFields {
            let refused = try await exchange(
                "POST", "/v1/runs/\(runId)/approvals",
                body: try Self.body(["step": "gate", "verdict": "approve", field: "mallory"]))
            #expect(refused.status == 400, "\(field): \(refused.status) \(refused.text)")
            #expect(refused.text.contains(field) && refused.text.contains("SO_PEERCRED"), "\(field): \(refused.text)")
        }
        for action in ["pause", "resume", "cancel", "rollback", "retry", "mark-undone", "decide"] {
            let refused = try await exchange(
                "POST", "/v1/runs/\(runId)/\(action)", body: try Self.body(["step": "gate", "option": "retry", "by": "mallory"]))
            #expect(refused.status == 400, "\(action): \(refused.status) \(refused.text)")
        }
        #expect(try daemon.journal.records(stream: runId).count == before, "a refused request journaled something")

        // Headers and query parameters claiming someone else are ignored: the peer approves.
        let approved = try await exchange(
            "POST", "/v1/runs/\(runId)/approvals?user=mallory&by=mallory&uid=4242&approver=mallory",
            headers: Self.spoofHeaders, body: try Self.body(["step": "gate", "verdict": "approve", "comment": "as me"]))
        #expect(approved.status == 200, "\(approved.text)")

        let decisions = try daemon.journal.records(stream: runId).compactMap { record -> ApprovalDecided? in
            if case let .approvalDecided(decision)? = try RunEvent(record) { return decision }
            return nil
        }
        #expect(decisions.count == 1)
        #expect(decisions.first?.by.uid == getuid())
        #expect(decisions.first?.by.user == me.user)
        let raw = try daemon.journal.records(stream: runId).map(\.payload).joined()
        #expect(!raw.contains("mallory") && !raw.contains("4242"), "a claimed identity reached the journal")

        let audit = try await exchange("GET", "/v1/runs/\(runId)/approvals")
        let view = try ControlJSON.decoder().decode(ApprovalsView.self, from: audit.body)
        #expect(view.decided.map { $0.by?.uid } == [getuid()])
        print(
            "approval journaled as \(decisions.first.map { "\($0.by)" } ?? "-") despite \(Self.spoofFields.count) body fields, "
                + "\(Self.spoofHeaders.count) headers and 4 query parameters naming mallory")
    }

    @Test func everyRequestTypeListsExactlyTheFieldsItEncodes() throws {
        func keys(_ value: some Encodable) throws -> Set<String> {
            Set((try JSONSerialization.jsonObject(with: try ControlJSON.encoder().encode(value)) as? [String: Any])?.keys.map { $0 } ?? [])
        }
        #expect(try keys(StartRunRequest(file: "f", runbook: "r", parameters: ["a": "b"], expectPlanHash: "h")) == StartRunRequest.fields)
        #expect(try keys(PlanRequest(file: "f", runbook: "r", parameters: [:], preflight: true)) == PlanRequest.fields)
        #expect(try keys(ApprovalRequest(step: "s", verdict: .approve, comment: "c")) == ApprovalRequest.fields)
        #expect(try keys(ActionRequest(comment: "c", step: "s")) == ActionRequest.fields)
        #expect(try keys(DecideRequest(step: "s", option: "o", comment: "c")) == DecideRequest.fields)
    }
}
