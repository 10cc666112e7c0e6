import Engine
import Foundation
import Journal
import Runbook

/// A real SQLite journal in a temporary directory, a virtual clock, a fake world and an engine on
/// them; `reopen()` abandons the engine and journal and opens new ones on the same file, as a
/// restarted daemon would.
public final class EngineFixture: @unchecked Sendable {
    public let directory: URL
    public let clock: ManualClock
    public let world = FakeWorld()
    public private(set) var journal: Journal
    public private(set) var engine: Engine
    public var registry: StepRegistry

    /// 2026-12-01T00:00:00Z: the window tests place their windows around it.
    public static let epoch = Date(timeIntervalSince1970: 1_796_083_200)

    /// - Parameter inMemoryFilesystem: put the journal on /dev/shm (still real SQLite files and
    ///   fsyncs, without the disk's latency) for suites that replay hundreds of runs.
    public init(now: Date = EngineFixture.epoch, inMemoryFilesystem: Bool = false) throws {
        let base =
            inMemoryFilesystem && FileManager.default.fileExists(atPath: "/dev/shm")
            ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        directory = base.appendingPathComponent("cutover-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        clock = ManualClock(now: now)
        registry = .testing(world)
        journal = try Journal(path: directory.appendingPathComponent("journal.sqlite").path)
        engine = Engine(journal: journal, registry: registry, clock: clock)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    public var driver: EngineDriver { EngineDriver(clock: clock) }

    public func start(_ plan: RunbookPlan, initiator: OperatorIdentity = TestPeople.initiator) async throws -> RunExecutor {
        try await engine.start(plan: plan, runbookSource: "# test", parameters: [:], initiator: initiator)
    }

    /// Abandons the current journal and engine (without closing: a crashed process closes nothing)
    /// and opens fresh ones on the same file.
    public func reopen() throws {
        journal = try Journal(path: directory.appendingPathComponent("journal.sqlite").path)
        engine = Engine(journal: journal, registry: registry, clock: clock)
    }

    /// The run's journaled events with their times.
    public func events(_ runId: String) throws -> [(RunEvent, Date)] {
        try journal.records(stream: runId).compactMap { record in try RunEvent(record).map { ($0, record.wallTime) } }
    }
}
