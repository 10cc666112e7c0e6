import AWSClient
import Foundation
import Testing

/// The `cutover-aws-sim` executable itself: options, the port file, the admin API, and a clean
/// exit on SIGTERM. Runs the binary SwiftPM built next to the test bundle; when it is missing the
/// tests fail (never skip) and say how to build it.
@Suite("cutover-aws-sim process")
struct SimServerProcessTests {
    static func run(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        guard let binary = simulatorBinary else {
            throw LoopbackBinaryMissing()
        }
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    static func waitForExit(_ process: Process, within seconds: Double) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func servesOnThePortItWritesAndStopsCleanlyOnSIGTERM() async throws {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-aws-sim-\(UUID().uuidString).port").path
        let (process, out, err) = try Self.run(["--port-file", portFile, "--virtual-clock", "--seed", "9", "--log"])
        defer { if process.isRunning { process.terminate() } }

        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: portFile), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let text = try String(contentsOfFile: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try #require(Int(text))

        let transport = CurlTransport(proxy: ProxySettings())
        let health = try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/_sim/health"), timeout: .default)
        #expect(health.status == 200)
        let clock = try await transport.send(
            HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/_sim/clock", body: Data(#"{"advanceSeconds": 60}"#.utf8)),
            timeout: .default)
        #expect(String(decoding: clock.body, as: UTF8.self).contains(#""kind":"virtual""#))

        process.terminate()  // SIGTERM
        try await Self.waitForExit(process, within: 30)
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: portFile))
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stdout.contains("listening on http://127.0.0.1:\(port)"))
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("GET /_sim/health 200"))
        #expect(stderr.contains("SIGTERM, stopping"))
    }

    @Test func badOptionsExplainThemselves() async throws {
        let (process, _, err) = try Self.run(["--port", "70000"])
        try await Self.waitForExit(process, within: 30)
        #expect(process.terminationStatus == 64)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("--port must be 0…65535"))

        let (help, out, _) = try Self.run(["--help"])
        try await Self.waitForExit(help, within: 30)
        #expect(help.terminationStatus == 0)
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("--time-scale X"))
    }

    /// Starts the simulator with a port file and waits for it to listen.
    static func start(_ arguments: [String]) async throws -> (process: Process, port: Int, stderr: Pipe) {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-aws-sim-\(UUID().uuidString).port").path
        let (process, _, err) = try run(["--port-file", portFile] + arguments)
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: portFile), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let text = try String(contentsOfFile: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return (process, try #require(Int(text)), err)
    }

    @Test func timeOriginAndAnchorFixSimulatedTime() async throws {
        let origin = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T09:53:20+09:00
        let anchor = Date().timeIntervalSince1970 - 100.25
        let (process, port, _) = try await Self.start([
            "--time-origin", "2026-11-30T09:53:20+09:00", "--time-anchor", String(anchor), "--time-scale", "2",
        ])
        defer { if process.isRunning { process.terminate() } }
        let before = Date().timeIntervalSince1970
        let response = try await CurlTransport(proxy: ProxySettings()).send(
            HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/_sim/clock"), timeout: .default)
        let after = Date().timeIntervalSince1970
        let object = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let simulated = try #require(object["epochSeconds"] as? Double)
        // origin + (real − anchor) × 2, with real between just before and just after the request
        // (however long a loaded machine takes to answer).
        let earliest = origin.timeIntervalSince1970 + (before - anchor) * 2
        let latest = origin.timeIntervalSince1970 + (after - anchor) * 2
        #expect(simulated >= earliest - 0.5 && simulated <= latest + 0.5, "\(simulated) not in [\(earliest), \(latest)]")
        #expect(simulated > origin.timeIntervalSince1970 + 200)
        process.terminate()
        try await Self.waitForExit(process, within: 30)
    }

    @Test func timeOptionsRefuseTheVirtualClockAndBadValues() async throws {
        for (arguments, message) in [
            (["--virtual-clock", "--time-origin", "2026-12-01T01:00:00+09:00"], "--virtual-clock and --time-origin exclude each other"),
            (["--time-anchor", "1796000000.5", "--virtual-clock"], "--virtual-clock and --time-anchor exclude each other"),
            (["--time-origin", "tomorrow"], "--time-origin must be an ISO 8601 date"),
            (["--time-anchor", "-5"], "--time-anchor must be seconds since 1970"),
        ] {
            let (process, _, err) = try Self.run(arguments)
            try await Self.waitForExit(process, within: 30)
            #expect(process.terminationStatus == 64, "\(arguments)")
            #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains(message), "\(arguments)")
        }
    }

    @Test func seedFileIsAppliedBeforeListening() async throws {
        let (process, port, err) = try await Self.start([
            "--seed-file", SimSeedFileTests.demoWorld, "--region", "ap-northeast-1", "--virtual-clock",
        ])
        defer { if process.isRunning { process.terminate() } }
        let state = try await CurlTransport(proxy: ProxySettings()).send(
            HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/_sim/state"), timeout: .default)
        let text = String(decoding: state.body, as: UTF8.self)
        #expect(text.contains("admin-images"))
        #expect(text.contains("admin-db"))
        process.terminate()
        try await Self.waitForExit(process, within: 30)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("seeded from \(SimSeedFileTests.demoWorld): 2 accounts"))
    }

    @Test func brokenSeedFileStopsTheProcessWithTheReason() async throws {
        let path = try SimSeedFileTests.write(#"{"accounts": "legacy"}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (process, out, err) = try Self.run(["--seed-file", path, "--virtual-clock"])
        try await Self.waitForExit(process, within: 30)
        #expect(process.terminationStatus == 65)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("seed file \(path)"))
        #expect(stderr.contains("MalformedJSON"))
        #expect(!String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("listening"))
    }
}

/// `<build dir>/cutover-aws-sim`, where SwiftPM puts executables beside `*.xctest`.
struct LoopbackBinaryMissing: Error, CustomStringConvertible {
    var description: String {
        "cutover-aws-sim is not built next to the test bundle: run `swift build --build-tests` (scripts/test does) before `swift test --skip-build`"
    }
}

private let simulatorBinary: URL? = {
    var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = directory.appendingPathComponent("cutover-aws-sim")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory.deleteLastPathComponent()
    }
    return nil
}()
