import AWSClient
import ControlProtocol
import Engine
import Foundation
import Glibc
import Steps
import Synchronization
import Testing

@testable import Daemon
@testable import Journal

/// Issue 9: the disk fills while cutoverd journals. A real SQLite journal file reaches
/// `SQLITE_FULL` (its page limit, which SQLite reports with the same code as a full disk) in the
/// middle of a run. The daemon keeps answering, shows the run stopped with the file, SQLite's error
/// and what to do, logs it at critical priority, counts it, notifies, and continues the run on
/// `resume` once space is freed — or on a restart. Nothing journaled is lost; the chain verifies.
@Suite(.serialized) struct JournalFullTests {
    /// Twelve one-minute waits in a row: enough journal records to cross several pages.
    static let runbook = """
        apiVersion: cutover/v1
        name: disk-full
        region: us-east-1
        steps:
        \((1...12).map { "  - id: wait-\($0)\n    uses: wait\n    with: { for: 1m }" }.joined(separator: "\n"))
        """

    static let operatorIdentity = OperatorIdentity(user: "oscar", uid: getuid())

    /// The daemon's parts around one journal file, as `CutoverDaemon.run` wires them.
    final class Daemon: Sendable {
        let directory: String
        let journal: Journal
        let clock: ManualClock
        let runs: DaemonRuns
        let metrics = DaemonMetrics()
        let routes: ControlRoutes
        let logLines = LogLines()
        let delivered = Delivered()

        init(
            directory: String, clock: ManualClock,
            identify: @escaping @Sendable (PeerCredentials) -> OperatorIdentity = { _ in JournalFullTests.operatorIdentity }
        ) async throws {
            self.directory = directory
            self.clock = clock
            journal = try Journal(path: directory + "/journal.db")
            let lines = logLines
            let log = DaemonLog(level: .info, sink: { line in lines.append(line) })
            runs = DaemonRuns(
                journal: journal, clock: clock,
                sessions: { plan, runId in
                    RunbookAccountSessions(
                        accounts: plan.accounts, region: plan.region,
                        base: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "unused")),
                        sessionName: runId, now: { clock.now() })
                }, log: log)
            let notifier = Notifier(targets: [RecordingTarget(delivered: delivered)], log: log, metrics: metrics)
            let observer = RunObserver(
                runs: runs, metrics: metrics, notifier: notifier, systemd: SystemdNotifier(environment: [:]), log: log)
            let runs = self.runs
            await runs.onHalt { halt in await observer.runHalted(halt) }
            let metrics = self.metrics
            routes = ControlRoutes(
                .init(
                    runs: runs, runbooks: RunbookLibrary(catalog: StepLibrary.catalog), journal: journal, hub: RunEventHub(), clock: clock,
                    identify: identify,
                    metrics: { await CutoverDaemon.render(metrics, runs: runs, clock: clock) },
                    reload: { _ in .success("") }, preflight: { _ in [] }, version: "test", startedAt: clock.now()),
                access: ControlAccess(operatorGroups: [], approverGroups: [], daemonUid: getuid()), log: log)
        }

        func call(_ method: String, _ path: String, json data: Data = Data()) async throws -> (Int, Data) {
            let response = await routes.handle(
                ControlRequest(method: method, path: path, body: data),
                peer: PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
            guard case let .full(status, _, answer) = response else { throw TestFailure("\(path) answered a stream") }
            return (status, answer)
        }

        func get<T: Decodable>(_ type: T.Type, _ path: String) async throws -> T {
            let (status, data) = try await call("GET", path)
            try #require(status == 200, "\(path): \(status) \(String(decoding: data, as: UTF8.self))")
            return try ControlJSON.decoder().decode(T.self, from: data)
        }

        /// Lets the run's task work until it sleeps on the clock (or `done`), then moves the
        /// clock a minute on; repeats. Real time only bounds the wait for the task to settle.
        func drive(until done: @Sendable () async -> Bool) async throws {
            for _ in 0..<200 {
                // Generous: at the suite's start every suite runs at once and a 2-core machine may
                // not schedule the run's task for many seconds; only a stuck run waits this long.
                let deadline = ContinuousClock.now + .seconds(120)
                while clock.sleeperCount == 0, await !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
                if await done() { return }
                try #require(clock.sleeperCount > 0, "the run neither slept nor finished within 120 s")
                clock.advance(by: 61)
                try await Task.sleep(for: .milliseconds(5))
            }
            throw TestFailure("the run did not reach the expected state in 200 minutes of its clock")
        }
    }

    final class LogLines: Sendable {
        private let all = Mutex<[String]>([])
        func append(_ line: String) { all.withLock { $0.append(line) } }
        var lines: [String] { all.withLock { $0 } }
    }

    final class Delivered: Sendable {
        private let all = Mutex<[CutoverNotification]>([])
        func append(_ notification: CutoverNotification) { all.withLock { $0.append(notification) } }
        var notifications: [CutoverNotification] { all.withLock { $0 } }
    }

    struct RecordingTarget: NotificationTarget {
        let delivered: Delivered
        var name: String { "recorder" }
        var events: [CutoverNotification.Kind] { [] }
        func deliver(_ notification: CutoverNotification) async throws(NotificationDeliveryError) {
            delivered.append(notification)
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Starts the run, lets two steps finish, fills the "disk", and drives until the run stops.
    static func runUntilTheDiskIsFull(_ daemon: Daemon) async throws -> (runId: String, kept: [JournalRecord], halt: RunHalt) {
        let (status, data) = try await daemon.call(
            "POST", "/v1/runs", json: try ControlJSON.encoder().encode(StartRunRequest(file: "disk-full.yaml", runbook: runbook)))
        try #require(status == 201, "start: \(String(decoding: data, as: UTF8.self))")
        let runId = try ControlJSON.decoder().decode(RunView.self, from: data).run.runId
        let runs = daemon.runs
        try await daemon.drive { await (try? runs.executor(runId).snapshot().done) ?? 0 >= 2 }

        _ = try daemon.journal.pragma("max_page_count = 1")  // SQLite raises it to the pages in use: the disk is full
        try await daemon.drive { await runs.halt(of: runId) != nil }
        let halt = try #require(await runs.halt(of: runId))
        return (runId, try daemon.journal.records(after: 0), halt)
    }

    /// What every stopped run must show, whichever write was refused.
    static func expectStoppedAndSaid(_ daemon: Daemon, _ runId: String, _ halt: RunHalt) async throws {
        #expect(halt.code == "DiskFull")
        #expect(halt.sqliteCode.map { $0 & 0xFF } == 13, "SQLITE_FULL")
        #expect(halt.journal == daemon.directory + "/journal.db")
        for needed in [
            "journal.db", "SQLite", "free space on \(daemon.directory)", "cutoverctl resume \(runId)", "restart cutoverd",
            "Nothing journaled was lost", "checked before it is repeated",
        ] {
            #expect(halt.message.contains(needed), "the halt message lacks \"\(needed)\": \(halt.message)")
        }

        // The control API still answers, and says so everywhere an operator looks.
        let health = try await daemon.get(HealthView.self, "/v1/health")
        #expect(health.status != "ok" && health.status.contains("free space on \(daemon.directory)"), "\(health.status)")
        #expect(health.haltedRuns?.map(\.runId) == [runId])
        let view = try await daemon.get(RunView.self, "/v1/runs/\(runId)")
        #expect(view.halt == halt)
        #expect(view.run.reason.hasPrefix("STOPPED — run \(runId) stopped: the journal"), "\(view.run.reason)")
        let list = try await daemon.get(RunList.self, "/v1/runs")
        #expect(list.runs.first?.halt == halt)
        let (_, metricsText) = try await daemon.call("GET", "/metrics")
        let metrics = String(decoding: metricsText, as: UTF8.self)
        #expect(metrics.contains("cutover_journal_write_failures_total{code=\"DiskFull\"} 1\n"), "\(metrics)")
        #expect(metrics.contains("cutover_runs_halted 1\n"))

        // Logged once, at critical priority (<2>, journald's PRIORITY=2).
        let critical = daemon.logLines.lines.filter { $0.hasPrefix("<2>") && $0.contains(runId) }
        #expect(critical.count == 1, "\(critical)")
        #expect(critical.first?.contains("journal.db") == true)

        // Notified once, to the configured targets.
        let deadline = ContinuousClock.now + .seconds(60)
        while daemon.delivered.notifications.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let notes = daemon.delivered.notifications.filter { $0.kind == .runHalted }
        #expect(notes.count == 1)
        #expect(notes.first?.runId == runId)
        #expect(notes.first?.text == halt.message)
    }

    /// Every record journaled before the disk filled is still there, unchanged, first in the chain.
    static func expectNothingLost(_ kept: [JournalRecord], _ journal: Journal) throws {
        let now = try journal.records(after: 0, limit: kept.count)
        #expect(now == kept)
        #expect(try journal.verify().valid)
    }

    @Test func aFullDiskStopsTheRunSaysSoAndResumeContinuesItOnceSpaceIsFreed() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = try await Daemon(directory: directory, clock: ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000)))
        let (runId, kept, halt) = try await Self.runUntilTheDiskIsFull(daemon)
        print("disk full: \(kept.count) records kept; \(halt.message)")
        try await Self.expectStoppedAndSaid(daemon, runId, halt)

        // Resume while the disk is still full: refused, nothing changes, the run stays stopped.
        let (refused, refusal) = try await daemon.call("POST", "/v1/runs/\(runId)/resume")
        #expect(refused == 503)
        #expect(String(decoding: refusal, as: UTF8.self).contains("still cannot be written"))
        #expect(await daemon.runs.halt(of: runId) != nil)
        #expect(try daemon.journal.records(after: 0) == kept, "the refused resume wrote nothing")

        // Space is freed; resume continues the run from its journal.
        _ = try daemon.journal.pragma("max_page_count = 1073741823")
        let (resumed, answer) = try await daemon.call("POST", "/v1/runs/\(runId)/resume")
        #expect(resumed == 200, "\(String(decoding: answer, as: UTF8.self))")
        let runs = daemon.runs
        try await daemon.drive { await (try? runs.executor(runId).state.status.isTerminal) ?? false }

        let final = try await daemon.get(RunView.self, "/v1/runs/\(runId)")
        #expect(final.run.status == .completed)
        #expect(final.run.done == 12)
        #expect(final.halt == nil)
        #expect(try await daemon.get(HealthView.self, "/v1/health").status == "ok")
        try Self.expectNothingLost(kept, daemon.journal)
        let recovery = try daemon.journal.records(stream: DaemonStream.name).filter { $0.kind == "daemon.run-recovered" }
        #expect(recovery.count == 1, "the recovery is journaled once, naming who")
        #expect(recovery.first?.payload.contains("oscar") == true)
    }

    @Test func aRestartedDaemonContinuesTheStoppedRunFromItsJournal() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_796_000_000))
        let first = try await Daemon(directory: directory, clock: clock)
        let (runId, kept, halt) = try await Self.runUntilTheDiskIsFull(first)
        try await Self.expectStoppedAndSaid(first, runId, halt)
        await first.runs.stopAll()
        first.journal.close()

        // Space freed by the operator; cutoverd restarted on the same file.
        let second = try await Daemon(directory: directory, clock: clock)
        #expect(try await second.runs.resumeAll() == 1)
        let runs = second.runs
        try await second.drive { await (try? runs.executor(runId).state.status.isTerminal) ?? false }
        let final = try await second.get(RunView.self, "/v1/runs/\(runId)")
        #expect(final.run.status == .completed)
        #expect(final.run.done == 12)
        try Self.expectNothingLost(kept, second.journal)
    }
}
