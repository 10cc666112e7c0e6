import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 20 item 2 end to end, with real processes: a `cutover-aws-sim` seeded with the demo world
/// stands in for the operator's real accounts; `cutoverctl rehearse` discovers it read-only,
/// starts its own private simulator (the twin) and cutoverd, runs the unchanged admin-console
/// runbook there at ×600, answers every approval, and reports. Afterwards its temporary directory
/// and both child processes must be gone.
final class CLIRehearseTests: XCTestCase {
    /// The admin-console runbook's primitives, as `cutoverctl plan` lists them.
    static let gates: Set<String> = [
        "maintenance-on", "move-images.empty-source", "move-images.delete-source", "move-images.remove-staging", "maintenance-off",
    ]

    func testARehearsalRunsTheRunbookOnTheTwinAndReportsEveryStep() throws {
        let rehearsal = try Rehearsal(heldStagingName: false)
        defer { rehearsal.stop() }
        let result = try rehearsal.run(extra: ["--html", rehearsal.directory.appendingPathComponent("report.html").path])
        XCTAssertEqual(result.status, 0, "stderr:\n\(result.stderr)\nstdout:\n\(result.stdout.prefix(4000))")
        let report = try Self.object(result.stdout)

        // Every step of the runbook, in plan order, with an outcome: all succeeded on the twin.
        let planned = try rehearsal.plannedSteps()
        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.compactMap { $0["id"] as? String }, planned)
        for step in steps {
            XCTAssertEqual(step["outcome"] as? String, "succeeded", "\(step)")
            let projection = try XCTUnwrap(step["projection"] as? [String: Any])
            XCTAssertNotNil(projection["seconds"] as? Double)
            XCTAssertNotNil(projection["basis"] as? String)
        }
        XCTAssertEqual((report["run"] as? [String: Any])?["status"] as? String, "completed")
        XCTAssertEqual((report["run"] as? [String: Any])?["succeeded"] as? Bool, true)

        // Every gate answered by the rehearsal, each shown as it was answered.
        let approvals = try XCTUnwrap(report["approvals"] as? [[String: Any]])
        XCTAssertEqual(Set(approvals.compactMap { $0["step"] as? String }), Self.gates)
        for gate in Self.gates { XCTAssertTrue(result.stderr.contains("rehearsal approves \(gate)"), result.stderr) }
        XCTAssertTrue(approvals.allSatisfy { ($0["realPolicy"] as? String)?.contains("group:cutover-approvers") == true })

        // The projection, with the RDS and copy figures from their bases.
        let window = try XCTUnwrap(report["window"] as? [String: Any])
        XCTAssertGreaterThan(window["totalSeconds"] as? Double ?? 0, 3600)
        XCTAssertEqual((window["criticalPath"] as? [String])?.last, "maintenance-off")
        XCTAssertEqual(window["windowSeconds"] as? Double, 4 * 3600)
        let bases = Set(steps.compactMap { ($0["projection"] as? [String: Any])?["basis"] as? String })
        XCTAssertTrue(
            bases.isSuperset(of: ["measured-copy-rate", "rds-rate-assumption", "configured-wait", "runbook-estimate"]), "\(bases)")
        XCTAssertEqual((report["pointsOfNoReturn"] as? [[String: Any]])?.count, 3)
        XCTAssertEqual((report["failures"] as? [Any])?.count, 0)
        let html = try String(contentsOf: rehearsal.directory.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<h2>Window projection (real time)</h2>"))

        try rehearsal.assertNothingLeft()
    }

    func testARunThatFailsOnTheTwinNamesTheFailingStepAndItsError() throws {
        let rehearsal = try Rehearsal(heldStagingName: true)
        defer { rehearsal.stop() }
        let result = try rehearsal.run(extra: [])
        XCTAssertEqual(result.status, 1, "stderr:\n\(result.stderr)")
        let report = try Self.object(result.stdout)
        XCTAssertEqual((report["run"] as? [String: Any])?["succeeded"] as? Bool, false)
        let failures = try XCTUnwrap(report["failures"] as? [[String: Any]])
        let failed = try XCTUnwrap(failures.first { $0["step"] as? String == "precopy-images.ensure-target" }, "\(failures)")
        XCTAssertTrue((failed["error"] as? String)?.contains("BucketOwnedByAnotherAccount") == true, "\(failed)")
        XCTAssertTrue((failed["error"] as? String)?.contains("admin-images-staging") == true, "\(failed)")
        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.first { $0["id"] as? String == "precopy-images.ensure-target" }?["outcome"] as? String, "failed")
        XCTAssertEqual(steps.first { $0["id"] as? String == "maintenance-off" }?["outcome"] as? String, "not-reached")
        // Discovery saw the held name too.
        XCTAssertTrue((report["discoveryProblems"] as? [String])?.contains { $0.contains("admin-images-staging") } == true)
        XCTAssertTrue(result.stderr.contains("the run on the twin did not complete: precopy-images.ensure-target"), result.stderr)
        try rehearsal.assertNothingLeft()
    }

    func testCtrlCStopsTheTwinAndRemovesItsFiles() throws {
        let rehearsal = try Rehearsal(heldStagingName: false)
        defer { rehearsal.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CLIProcess.binary())
        process.arguments =
            ["rehearse", CLIProcess.repositoryFile("Runbooks/examples/admin-console-moves.yaml")] + rehearsal.window + ["--speed", "60"]
        process.environment = ProcessInfo.processInfo.environment.merging(rehearsal.environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Interrupt once the private daemon answers (its socket exists): both children are running.
        let deadline = Date().addingTimeInterval(60)
        func socketExists() -> Bool {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: rehearsal.rehearsalTemp.path)) ?? []
            return entries.contains {
                FileManager.default.fileExists(atPath: rehearsal.rehearsalTemp.appendingPathComponent("\($0)/cutoverd.sock").path)
            }
        }
        while !socketExists() && process.isRunning && Date() < deadline { usleep(50_000) }
        XCTAssertTrue(process.isRunning && socketExists(), "the rehearsal did not reach a running twin")
        usleep(500_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        try rehearsal.assertNothingLeft()
    }

    static func object(_ text: String) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(parsed as? [String: Any], "not a JSON object:\n\(text.prefix(2000))")
    }
}

/// The "real accounts" (a simulator seeded with the demo world, 300 objects) and one rehearsal
/// of the admin-console runbook against them.
final class Rehearsal {
    let directory: URL
    /// TMPDIR of cutoverctl: where its private directory must appear and vanish again.
    let rehearsalTemp: URL
    let simulator: Process
    let endpoint: String
    let key: (id: String, secret: String)
    let window: [String]

    /// - Parameter switchover: a `switchover` seed section for the real accounts (the whole cutover's resources).
    init(heldStagingName: Bool, switchover: [String: Any]? = nil) throws {
        directory = try CLIProcess.temporaryDirectory()
        rehearsalTemp = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: rehearsalTemp, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: CLIProcess.repositoryFile("Runbooks/demo/admin-console-world.json"))
        var world = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
        var buckets = try XCTUnwrap(world["buckets"] as? [[String: Any]])
        var generated = try XCTUnwrap(buckets[0]["generated"] as? [String: Any])
        generated["count"] = 300
        buckets[0]["generated"] = generated
        var accounts = try XCTUnwrap(world["accounts"] as? [[String: Any]])
        if heldStagingName {
            // Someone outside the cutover owns the staging bucket's name.
            accounts.append(["id": "333333333333", "name": "someone-else"])
            buckets.append(["name": "admin-images-staging", "account": "333333333333"])
        }
        world["buckets"] = buckets
        world["accounts"] = accounts
        if let switchover { world["switchover"] = switchover }
        let worldFile = directory.appendingPathComponent("real-accounts.json")
        try JSONSerialization.data(withJSONObject: world).write(to: worldFile)
        let user = try XCTUnwrap((accounts[0]["users"] as? [[String: Any]])?.first)
        key = (try XCTUnwrap(user["accessKeyId"] as? String), try XCTUnwrap(user["secretAccessKey"] as? String))

        let portFile = directory.appendingPathComponent("sim.port")
        simulator = Process()
        simulator.executableURL = try BuiltProducts.executable("cutover-aws-sim")
        simulator.arguments = ["--port-file", portFile.path, "--region", "ap-northeast-1", "--seed-file", worldFile.path]
        simulator.standardOutput = FileHandle.nullDevice
        simulator.standardError = FileHandle.nullDevice
        try simulator.run()
        let deadline = Date().addingTimeInterval(30)
        var port: Int?
        while port == nil {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil {
                guard simulator.isRunning, Date() < deadline else {
                    throw CLIRehearseSetupError(description: "the stand-in simulator did not start within 30 s")
                }
                usleep(50_000)
            }
        }
        endpoint = "http://127.0.0.1:\(port!)"
        // The window opens tomorrow: nothing depends on today's date.
        let start = Date().addingTimeInterval(86_400)
        let format = Date.ISO8601FormatStyle()
        window = [
            "--param", "windowStart=\(start.formatted(format))", "--param",
            "windowEnd=\(start.addingTimeInterval(4 * 3600).formatted(format))",
        ]
    }

    var environment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": key.id, "AWS_SECRET_ACCESS_KEY": key.secret, "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
            "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": "ap-northeast-1",
            "AWS_CONFIG_FILE": directory.appendingPathComponent("no-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("no-credentials").path,
            "TMPDIR": rehearsalTemp.path,
        ]
    }

    static let moves = "Runbooks/examples/admin-console-moves.yaml"

    func run(extra: [String], runbook: String = Rehearsal.moves) throws -> CLIResult {
        try CLIProcess.run(
            ["rehearse", CLIProcess.repositoryFile(runbook)] + window
                + ["--speed", "600", "--timeout", "120", "--output", "json"] + extra,
            environment: environment)
    }

    func plannedSteps(runbook: String = Rehearsal.moves, extra: [String] = []) throws -> [String] {
        let plan = try CLIProcess.run(["plan", CLIProcess.repositoryFile(runbook)] + window + extra + ["--output", "json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(object["steps"] as? [[String: Any]]).compactMap { $0["id"] as? String }
    }

    /// cutoverctl's private directory is removed and no process runs from it.
    func assertNothingLeft(file: StaticString = #filePath, line: UInt = #line) throws {
        let left = try FileManager.default.contentsOfDirectory(atPath: rehearsalTemp.path)
        XCTAssertEqual(left, [], "the rehearsal left files behind", file: file, line: line)
        var survivors: [String] = []
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") where Int32(entry) != nil {
            guard let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let command = String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            if command.contains(rehearsalTemp.path) { survivors.append("\(entry): \(command)") }
        }
        XCTAssertEqual(survivors, [], "the rehearsal's child processes are still running", file: file, line: line)
    }

    func stop() {
        if simulator.isRunning {
            simulator.terminate()
            simulator.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

struct CLIRehearseSetupError: Error, CustomStringConvertible {
    var description: String
}
