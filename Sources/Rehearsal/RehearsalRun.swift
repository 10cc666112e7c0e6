import AWSClient
import ControlProtocol
import Engine
import Foundation
import Runbook

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The rehearsal run itself: a private `cutover-aws-sim` seeded with the twin world and a private
/// `cutoverd` (its own temporary state directory, socket and config, `rehearsal: true`, the
/// simulator as its only endpoint, both on the same scaled clock), the unchanged runbook started
/// with its parameters, every approval answered (each shown through `say`), the run followed to
/// its end, and what it did gathered into a `RehearsalRecord`. `stop()` ends both processes and
/// removes the directory; `run` always calls it, and `cutoverctl rehearse` calls it on Ctrl-C.
public final class RehearsalRun: @unchecked Sendable {
    public struct Options: Sendable {
        /// Simulated seconds per real second, for the simulator and the daemon alike.
        public var speed: Double = 60
        /// The folder with `cutover-aws-sim` and `cutoverd` (cutoverctl's own folder).
        public var binDirectory: URL
        /// Give up following the run after this many real seconds.
        public var timeout: Double = 3600
        /// Simulated time between the clock's origin and the window's start: the runbook's
        /// `window: any` steps (a pre-copy) run before the window, as on the night.
        public var windowLead: TimeInterval = 1800
        /// How long the simulator holds a deleted bucket's name (simulated seconds; AWS: about an
        /// hour in practice, up to 48–72 h).
        public var nameHold: TimeInterval = 3600

        public init(binDirectory: URL) { self.binDirectory = binDirectory }
    }

    let plan: RunbookPlan
    let runbookText: String
    let parameters: [String: String]
    let world: TwinWorld
    let options: Options
    let say: @Sendable (String) -> Void
    let lock = NSLock()
    private let stopping = NSLock()
    private var interruptedFlag = false
    private var directory: URL?
    private var processes: [Process] = []
    private var stopped = false

    /// The temporary directory while the run lasts (tests check it is gone afterwards).
    public var temporaryDirectory: URL? { lock.withLock { directory } }
    /// The child processes' IDs (tests check they are gone afterwards).
    public var childProcessIDs: [Int32] { lock.withLock { processes.map(\.processIdentifier) } }

    /// `plan` is the real plan (made here, with the real approval policies); `parameters` are the
    /// operator's `--param` values, sent to the twin's daemon as to the real one.
    public init(
        plan: RunbookPlan, runbookText: String, parameters: [String: String], world: TwinWorld, options: Options,
        say: @escaping @Sendable (String) -> Void
    ) {
        self.plan = plan
        self.parameters = parameters
        self.runbookText = runbookText
        self.world = world
        self.options = options
        self.say = say
    }

    /// Runs the rehearsal and stops everything again, also when it fails.
    public func run() throws -> RehearsalRecord {
        defer { stop() }
        let started = Date()
        let directory = try makeDirectory()
        var clock = Clock(now: started, window: plan.window?.start, lead: options.windowLead)
        let key = Self.operatorKey()
        let worldFile = directory.appendingPathComponent("twin-world.json")
        try world.withOperatorKey(accessKeyId: key.id, secretAccessKey: key.secret).json().write(to: worldFile)
        let endpoint = try startSimulator(directory, world: worldFile, clock: clock)
        say(
            "twin: cutover-aws-sim on \(endpoint), time ×\(ProjectionRates.number(options.speed)), simulated time from \(RehearsalText.time(clock.origin))"
        )
        // The simulator waits, frozen at the origin, while it seeds and the daemon starts; both
        // clocks then run from the same real instant (`anchor`), so the twin's time before the
        // window is the lead, not however long seeding took.
        clock.anchor = Date().addingTimeInterval(0.5).timeIntervalSince1970
        let daemon = try launchDaemon(directory, endpoint: endpoint, key: key, clock: clock)
        let wait = clock.anchor - Date().timeIntervalSince1970
        if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
        try Self.startClock(endpoint: endpoint, scale: options.speed)
        let socket = try awaitDaemon(daemon, directory)
        say("twin: private cutoverd on \(socket.socketPath)")
        return try follow(socket, started: started)
    }

    /// Ctrl-C: stops everything (as `stop`) and remembers why, so the run's own failure (its
    /// daemon went away) is not reported as the rehearsal's result.
    public func interrupt() {
        lock.withLock { interruptedFlag = true }
        stop()
    }

    public var interrupted: Bool { lock.withLock { interruptedFlag } }

    /// Ends both processes (SIGTERM, then SIGKILL after 10 s) and removes the directory. Safe to
    /// call more than once and from another thread.
    public func stop() {
        // A second caller (the run's own clean-up racing Ctrl-C) waits until the first is done.
        stopping.lock()
        defer { stopping.unlock() }
        let (children, directory): ([Process], URL?) = lock.withLock {
            defer { stopped = true }
            return stopped ? ([], nil) : (processes.reversed(), self.directory)
        }
        for process in children where process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    // MARK: Processes

    struct Clock {
        var anchor: Double
        var origin: Date

        init(now: Date, window: Date?, lead: TimeInterval) {
            anchor = now.timeIntervalSince1970
            // The twin's time starts `lead` before the window (or now, without one), whole seconds.
            let start = window.map { $0.addingTimeInterval(-lead) } ?? now
            origin = Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down))
        }
    }

    private func makeDirectory() throws -> URL {
        var template = Array((NSTemporaryDirectory() + "/cutover-rehearsal-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw RehearsalRunError("cannot create a temporary directory in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        let url = URL(fileURLWithPath: String(cString: made)).standardizedFileURL
        lock.withLock { directory = url }
        return url
    }

    private func launch(_ name: String, _ arguments: [String], log: URL) throws -> Process {
        let executable = options.binDirectory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw RehearsalRunError("\(name) is not in \(options.binDirectory.path), next to cutoverctl; install it there")
        }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try lock.withLock {
            guard !stopped else { throw RehearsalRunError("the rehearsal was stopped") }
            try process.run()
            processes.append(process)
        }
        return process
    }

    private func startSimulator(_ directory: URL, world: URL, clock: Clock) throws -> String {
        let portFile = directory.appendingPathComponent("sim.port")
        let log = directory.appendingPathComponent("sim.log")
        let process = try launch(
            "cutover-aws-sim",
            [
                "--port-file", portFile.path, "--region", plan.region, "--seed-file", world.path,
                "--time-scale", "0", "--time-origin", RehearsalText.time(clock.origin), "--name-hold", String(options.nameHold),
            ], log: log)
        let deadline = Date().addingTimeInterval(30)
        while true {
            if let text = try? String(contentsOf: portFile, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return "http://127.0.0.1:\(port)"
            }
            if !process.isRunning { throw RehearsalRunError("cutover-aws-sim exited \(process.terminationStatus): \(Self.tail(log))") }
            if Date() > deadline { throw RehearsalRunError("cutover-aws-sim did not start within 30 s: \(Self.tail(log))") }
            usleep(50_000)
        }
    }

    private func launchDaemon(_ directory: URL, endpoint: String, key: (id: String, secret: String), clock: Clock) throws -> Process {
        let credentials = directory.appendingPathComponent("aws-credentials")
        guard
            FileManager.default.createFile(
                atPath: credentials.path, contents: Data("AWS_ACCESS_KEY_ID=\(key.id)\nAWS_SECRET_ACCESS_KEY=\(key.secret)\n".utf8),
                attributes: [.posixPermissions: 0o600])
        else { throw RehearsalRunError("cannot write \(credentials.path)") }
        let runbooks = directory.appendingPathComponent("runbooks")
        try FileManager.default.createDirectory(at: runbooks, withIntermediateDirectories: true)
        let socket = directory.appendingPathComponent("cutoverd.sock").path
        let config = directory.appendingPathComponent("cutoverd.yaml")
        let text = """
            # written by cutoverctl rehearse: a private daemon against the twin, removed afterwards
            socket:
              path: "\(socket)"
              mode: "0600"
              group: null
            stateDirectory: "\(directory.appendingPathComponent("state").path)"
            runbookDirectories: ["\(runbooks.path)"]
            aws:
              credentials: "file:\(credentials.path)"
              endpointURL: "\(endpoint)"
            clock:
              scale: \(options.speed)
              origin: "\(RehearsalText.time(clock.origin))"
              anchor: \(String(format: "%.6f", clock.anchor))
            rehearsal: true
            metrics:
              enabled: false
            logLevel: notice

            """
        try Data(text.utf8).write(to: config)
        return try launch("cutoverd", ["--config", config.path], log: directory.appendingPathComponent("cutoverd.log"))
    }

    private func awaitDaemon(_ process: Process, _ directory: URL) throws -> ControlClient {
        let log = directory.appendingPathComponent("cutoverd.log")
        let socket = directory.appendingPathComponent("cutoverd.sock").path
        let client = ControlClient(socketPath: socket, timeout: 30, userAgent: "cutoverctl-rehearse")
        let deadline = Date().addingTimeInterval(30)
        while true {
            if FileManager.default.fileExists(atPath: socket), (try? client.get(HealthView.self, ControlRoute.health.path)) != nil {
                return client
            }
            if !process.isRunning { throw RehearsalRunError("cutoverd exited \(process.terminationStatus): \(Self.tail(log))") }
            if Date() > deadline { throw RehearsalRunError("cutoverd did not answer within 30 s: \(Self.tail(log))") }
            usleep(50_000)
        }
    }

    /// Sets the simulator's clock running at `scale` from now (`POST /_sim/clock`).
    static func startClock(endpoint: String, scale: Double) throws {
        let request = HTTPRequest(
            method: "POST", url: endpoint + "/_sim/clock", headers: ["Content-Type": "application/json"],
            body: Data(#"{"scale": \#(scale)}"#.utf8))
        let answer = ResultBox<Result<HTTPResponse, any Error>>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                answer.value = .success(
                    try await CurlTransport.shared.send(request, timeout: TransportTimeouts(connect: .seconds(5), total: .seconds(10))))
            } catch {
                answer.value = .failure(error)
            }
            done.signal()
        }
        done.wait()
        let response = try answer.value!.get()
        guard response.status == 200 else {
            throw RehearsalRunError(
                "the twin's simulator refused to start its clock: HTTP \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))"
            )
        }
    }

    // MARK: The run

    private func follow(_ client: ControlClient, started: Date) throws -> RehearsalRecord {
        let planned = try client.post(
            PlanResponse.self, ControlRoute.plan.path,
            body: PlanRequest(file: plan.runbookFile, runbook: runbookText, parameters: parameters, preflight: true))
        let preflight = (planned.preflight ?? []).map {
            RehearsalRecord.Finding(account: $0.account, check: $0.check, outcome: $0.outcome.rawValue, detail: $0.detail)
        }
        for finding in preflight where finding.outcome != "ok" {
            say("preflight \(finding.outcome): \(finding.check)\(finding.account.map { " (\($0))" } ?? ""): \(finding.detail)")
        }
        let started201 = try client.post(
            RunView.self, ControlRoute.runs.path,
            body: StartRunRequest(file: plan.runbookFile, runbook: runbookText, parameters: parameters, expectPlanHash: planned.hash))
        let runId = started201.run.runId
        say("twin: started run \(runId)")
        var approvals: [RehearsalRecord.Approval] = []
        var view = started201
        var decision: String?
        var reason: String?
        let deadline = Date().addingTimeInterval(options.timeout)
        var lastLine = ""
        while true {
            view = try client.get(RunView.self, ControlRoute.run(runId).path)
            let line = Self.progress(view)
            if line != lastLine {
                say("twin [\(RehearsalText.time(view.now))] " + line)
                lastLine = line
            }
            if view.run.status.isTerminal || view.run.status == .paused { break }
            if let pending = view.pendingDecisions.first {
                decision = "\(pending.step): \(pending.reason) (options: \(pending.options.joined(separator: ", ")))"
                say("twin: \(pending.step) waits for a decision the rehearsal does not make: \(pending.reason)")
                break
            }
            for pending in view.pendingApprovals {
                let real = plan.step(pending.step)
                let policy = Self.describe(real?.approval ?? ApprovalPolicy())
                say(
                    "rehearsal approves \(pending.step)\(pending.irreversible ? " (POINT OF NO RETURN)" : "") — the real run needs \(policy)"
                        + (pending.message.map { ": \($0)" } ?? ""))
                _ = try client.post(
                    ActionResult.self, ControlRoute.approvals(runId).path,
                    body: ApprovalRequest(step: pending.step, verdict: .approve, comment: "answered by cutoverctl rehearse"))
                approvals.append(
                    RehearsalRecord.Approval(
                        step: pending.step, message: pending.message, realPolicy: policy,
                        pointOfNoReturn: pending.irreversible || real?.reversibility.isPointOfNoReturn == true, answeredAt: view.now))
            }
            if Date() > deadline {
                reason = "the rehearsal stopped following the run after \(Int(options.timeout)) s (--timeout)"
                break
            }
            usleep(100_000)
        }
        let events = try Self.events(client, runId)
        var first: [String: Date] = [:]
        var last: [String: Date] = [:]
        for event in events {
            guard let step = event.step else { continue }
            if first[step] == nil { first[step] = event.time }
            last[step] = event.time
        }
        let steps = view.run.steps.map { step in
            RehearsalRecord.Step(
                id: step.id, status: step.status.rawValue, attempts: step.attempts, firstEvent: first[step.id],
                lastEvent: step.finishedAt ?? last[step.id], error: step.lastError.map(Self.describe))
        }
        return RehearsalRecord(
            runId: runId, runStatus: view.run.status.rawValue, runReason: reason ?? view.run.reason, pendingDecision: decision,
            speed: options.speed, startedAt: view.run.createdAt, endedAt: events.last?.time ?? view.now,
            realSeconds: Date().timeIntervalSince(started), steps: steps, approvals: approvals, preflight: preflight)
    }

    static func events(_ client: ControlClient, _ runId: String) throws -> [EventLine] {
        let path = ControlRoute.eventsPath(runId, after: 0, follow: false)
        let answer = try client.send(method: "GET", path: path)
        guard (200..<300).contains(answer.status) else {
            throw RehearsalRunError("cutoverd answered \(answer.status) to GET \(path)")
        }
        let decoder = ControlJSON.decoder()
        return answer.body.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let event = try? decoder.decode(EventLine.self, from: Data(line)), event.sequence > 0 else { return nil }
            return event
        }
    }

    static func progress(_ view: RunView) -> String {
        let current = view.run.steps.filter { ![.pending, .succeeded].contains($0.status) }.map { "\($0.id) \($0.status.rawValue)" }
        return "\(view.run.status.rawValue), \(view.run.done)/\(view.run.steps.count) done"
            + (current.isEmpty ? "" : ": " + current.joined(separator: ", "))
    }

    static func describe(_ policy: ApprovalPolicy) -> String {
        let who = policy.approvers.isEmpty ? "any approver" : policy.approvers.map(\.description).joined(separator: ", ")
        return "\(policy.required) of \(who)" + (policy.allowInitiator ? "" : ", not the initiator")
            + (policy.required > 1 && policy.distinct ? ", distinct" : "")
    }

    static func describe(_ error: StepError) -> String {
        var text = "\(error.code): \(error.message)"
        var context: [String] = []
        if let account = error.account { context.append("account \(account)") }
        if let resource = error.resource { context.append("resource \(resource)") }
        if let requestId = error.requestId { context.append("request \(requestId)") }
        if !context.isEmpty { text += " (" + context.joined(separator: ", ") + ")" }
        return text
    }

    /// A made-up key for the twin's operator user; only the private simulator knows it.
    static func operatorKey() -> (id: String, secret: String) {
        let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let any = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        let id = "AKIA" + String((0..<16).map { _ in upper.randomElement(using: &generator)! })
        let secret = String((0..<40).map { _ in any.randomElement(using: &generator)! })
        return (id, secret)
    }

    static func tail(_ log: URL) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

public struct RehearsalRunError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
