import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The switch-over half of the admin-console world — ELBv2, ECS, Route 53, Secrets Manager and
/// CloudWatch in a private moto server, plus a local health URL — started by
/// `scripts/switchover_world.py serve`, the same seeding the README demo uses. The simulator
/// forwards those services to it (`SimForwarding`), so a run sees one world.
///
/// Each instance is its own moto process: the runbook's names are fixed (`legacy-admin-alb`,
/// `admin-console/db`…), so runs cannot share one.
public final class SwitchoverMotoWorld: @unchecked Sendable {
    public struct Summary: Decodable, Sendable {
        public let endpoint: String
        public let port: Int
        public let hostedZoneId: String
        public let healthURL: String
        public let unhealthyURL: String
        public let legacyListenerArn: String
        public let legacyAlbDNSName: String
        public let legacyAlbZoneId: String
        public let productAlbDNSName: String
        public let secretVersionId: String
        public let taskDefinitions: [String]
    }

    public let summary: Summary
    private let process: Process
    private let stdin = Pipe()
    private let state: URL

    public init() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        state = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-switchover-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/switchover_world.py").path, "serve", "--state", state.path]
        let logPath = state.appendingPathComponent("serve.log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        // The script stops when this pipe closes: at `stop()`, or when the test process dies.
        process.standardInput = stdin
        try process.run()
        let file = state.appendingPathComponent("world.json")
        let deadline = Date().addingTimeInterval(90)
        while !FileManager.default.fileExists(atPath: file.path) {
            guard process.isRunning, Date() < deadline else {
                let text = (try? String(contentsOf: state.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
                process.terminate()
                throw LoopbackError("scripts/switchover_world.py serve did not seed moto within 90 s: \(text.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf: file))
    }

    /// Stops moto and the health server; the state directory goes when moto has exited. Nothing
    /// waits here: this runs on the cooperative pool, which must not block.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        let state = self.state
        process.terminationHandler = { _ in try? FileManager.default.removeItem(at: state) }
        if process.isRunning { process.terminate() } else { try? FileManager.default.removeItem(at: state) }
    }

    deinit { stop() }
}
