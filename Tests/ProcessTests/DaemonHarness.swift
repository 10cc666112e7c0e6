import ControlProtocol
import Foundation
import Synchronization
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A real `cutoverd` process in a temporary directory: its own config, state directory, control
/// socket and a NOTIFY_SOCKET datagram listener standing in for systemd.
final class DaemonHarness: @unchecked Sendable {
    let directory: URL
    let socket: String
    let state: String
    let configFile: String
    let notify: NotifyListener
    private(set) var process: Process?
    private(set) var logFile: String
    private var launches = 0
    var watchdogUsec: Int?

    /// - Parameter scale: the daemon clock's speed (simulated seconds per real second).
    init(scale: Double = 600, socketMode: String = "0660", socketGroup: String? = TestUsers.approvers, extraConfig: String = "") throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cutover-proc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        socket = directory.appendingPathComponent("cutoverd.sock").path
        state = directory.appendingPathComponent("state").path
        configFile = directory.appendingPathComponent("cutoverd.yaml").path
        logFile = directory.appendingPathComponent("cutoverd-0.log").path
        notify = try NotifyListener(path: directory.appendingPathComponent("notify.sock").path)
        let anchor = String(format: "%.6f", Date().timeIntervalSince1970)
        let config = """
            socket:
              path: \(socket)
              mode: "\(socketMode)"
              group: \(socketGroup.map { "\"\($0)\"" } ?? "null")
            stateDirectory: \(state)
            access:
              operatorGroups: [\(TestUsers.operators)]
              approverGroups: [\(TestUsers.approvers)]
            aws:
              credentials: environment
              endpointURL: http://127.0.0.1:9
            clock:
              scale: \(scale)
              origin: "2026-12-01T00:00:00Z"
              anchor: \(anchor)
            logLevel: debug
            \(extraConfig)
            """
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    /// Starts cutoverd and waits for READY=1 on the notify socket. Returns the time from exec to READY.
    @discardableResult
    func start(timeout: TimeInterval = 30) throws -> TimeInterval {
        let process = Process()
        process.executableURL = try BuiltProducts.executable("cutoverd")
        process.arguments = ["--config", configFile]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment["AWS_ACCESS_KEY_ID"] = "AKIDPROCESSTEST"
        environment["AWS_SECRET_ACCESS_KEY"] = "process-test-secret-not-used"
        if let watchdogUsec { environment["WATCHDOG_USEC"] = "\(watchdogUsec)" } else { environment["WATCHDOG_USEC"] = nil }
        environment["WATCHDOG_PID"] = nil
        process.environment = environment
        logFile = directory.appendingPathComponent("cutoverd-\(launches).log").path
        launches += 1
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        process.standardOutput = handle
        process.standardError = handle
        let readyBefore = notify.count(of: "READY=1")
        let began = Date()
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(timeout)
        while notify.count(of: "READY=1") == readyBefore {
            if !process.isRunning { throw HarnessError("cutoverd exited \(process.terminationStatus) before READY=1:\n\(log)") }
            if Date() > deadline { throw HarnessError("no READY=1 within \(timeout) s:\n\(log)") }
            usleep(5_000)
        }
        return notify.firstTime(of: "READY=1", after: readyBefore)?.timeIntervalSince(began) ?? Date().timeIntervalSince(began)
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the exit status.
    @discardableResult
    func stop(signal number: Int32 = SIGTERM, timeout: TimeInterval = 30) throws -> Int32 {
        guard let process else { return 0 }
        kill(process.processIdentifier, number)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw HarnessError("cutoverd did not exit within \(timeout) s of signal \(number)")
            }
            usleep(10_000)
        }
        self.process = nil
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    /// Runs `cutoverctl` against this daemon, as `user` when given (via setpriv, with the user's groups).
    func ctl(_ arguments: [String], as user: String? = nil, output json: Bool = false) throws -> CommandResult {
        var command = [try BuiltProducts.executable("cutoverctl").path, "--socket", socket] + arguments
        if json { command += ["--output", "json"] }
        if let user { command = ["/usr/bin/setpriv", "--reuid=\(user)", "--regid=\(user)", "--init-groups", "--"] + command }
        return try CommandResult.run(command, environment: ["NO_COLOR": "1", "CUTOVER_STATE_DIRECTORY": state])
    }

    func writeRunbook(_ text: String, name: String = "runbook.yaml") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        return path
    }

    /// Polls `status RUN` until `predicate` holds for the JSON view.
    func waitFor(
        _ runId: String, timeout: TimeInterval = 60, _ what: String,
        _ predicate: ([String: Any]) -> Bool
    ) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            let result = try ctl(["status", runId], output: true)
            last = result.stdout + result.stderr
            if result.status == 0, let view = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                predicate(view)
            {
                return view
            }
            usleep(100_000)
        }
        throw HarnessError("timed out waiting for \(what); last status:\n\(last)\ndaemon log:\n\(log)")
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        notify.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A finished command.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var elapsed: TimeInterval

    static func run(_ command: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let began = Date()
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), elapsed: Date().timeIntervalSince(began))
    }
}

/// Test identities: real users and groups (tests run as root and create them once).
enum TestUsers {
    static let approvers = "cutover-approvers"
    static let operators = "cutover-operators"
    static let approver = "cutover-test-approver"
    static let outsider = "cutover-test-outsider"
    /// An operator who is also an approver: may start runs, and is then their initiator.
    static let sre = "cutover-test-sre"

    /// Creates the groups and users if missing. Needs root; throws (the test fails, it is not
    /// skipped) otherwise, because these tests are about OS identities.
    static func ensure() throws {
        guard getuid() == 0 else { throw HarnessError("the process tests create test users and need root (CI runs as root)") }
        for group in [approvers, operators] where getgrnam(group) == nil {
            _ = try CommandResult.run(["/usr/sbin/groupadd", "--system", group])
        }
        if getpwnam(approver) == nil {
            _ = try CommandResult.run([
                "/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                "--groups", approvers, approver,
            ])
        }
        if getpwnam(sre) == nil {
            _ = try CommandResult.run([
                "/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                "--groups", "\(approvers),\(operators)", sre,
            ])
        }
        if getpwnam(outsider) == nil {
            _ = try CommandResult.run(["/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", outsider])
        }
    }
}

/// systemd's side of sd_notify: a datagram socket that records every message with its arrival time.
final class NotifyListener: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let messages = MessageLog()

    final class MessageLog: Sendable {
        private let entries = Mutex<[(Date, String)]>([])
        func append(_ text: String) { entries.withLock { $0.append((Date(), text)) } }
        func withLock<T>(_ body: ([(Date, String)]) -> T) -> T { entries.withLock { body($0) } }
    }
    private var thread: Thread?

    init(path: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket(): \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw HarnessError("bind(\(path)): errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let socketFD = self.fd
        let messages = self.messages
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(socketFD, &buffer, buffer.count, 0)
                if n > 0 {
                    let text = String(decoding: buffer[0..<n], as: UTF8.self)
                    messages.append(text)
                } else if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                    return
                }
                if Thread.current.isCancelled { return }
            }
        }
        thread.start()
        self.thread = thread
    }

    var all: [String] { messages.withLock { $0.map(\.1) } }

    /// Messages containing the line `line` (e.g. `READY=1`).
    func count(of line: String) -> Int { messages.withLock { $0.filter { $0.1.split(separator: "\n").contains(Substring(line)) }.count } }

    func firstTime(of line: String, after skip: Int) -> Date? {
        messages.withLock { $0.filter { $0.1.split(separator: "\n").contains(Substring(line)) }.dropFirst(skip).first?.0 }
    }

    func close() {
        thread?.cancel()
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }
}
