import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// What an operator sees when the daemon cannot be reached: the exit code scripts branch on and a
/// message that says what to do.
final class CLIConnectionTests: XCTestCase {
    func testMissingSocketSaysTheDaemonIsNotRunningAndExitsThree() throws {
        let result = try CLIProcess.run(["runs", "--socket", "/tmp/no-such-cutoverd.sock"])
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(
            result.stderr,
            "cutoverctl: error: cutoverd is not running (no socket at /tmp/no-such-cutoverd.sock); start it with `systemctl start cutoverd`\n"
        )
    }

    func testSocketComesFromTheEnvironmentWhenNotGiven() throws {
        let result = try CLIProcess.run(["health"], environment: ["CUTOVER_SOCKET": "/tmp/from-env-cutoverd.sock"])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("no socket at /tmp/from-env-cutoverd.sock"), result.stderr)
        let given = try CLIProcess.run(
            ["--socket", "/tmp/from-flag.sock", "health"], environment: ["CUTOVER_SOCKET": "/tmp/from-env-cutoverd.sock"])
        XCTAssertTrue(given.stderr.contains("no socket at /tmp/from-flag.sock"), given.stderr)
    }

    func testStaleSocketNobodyListensOnIsNotRunning() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("stale.sock").path
        let fd = try Self.bind(path, listen: false)
        defer { close(fd) }
        let result = try CLIProcess.run(["status", "r-1", "--socket", path])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("cutoverd is not running (nothing listens on \(path))"), result.stderr)
    }

    /// A socket only root may use, and cutoverctl run as `nobody`: exit 4, and the message names
    /// the socket's group and the command that grants it.
    func testSocketWithoutPermissionNamesItsGroupAndExitsFour() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to run cutoverctl as nobody") }
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A copy of the binary in a directory nobody may traverse (the build folder may not be).
        let binary = directory.appendingPathComponent("cutoverctl").path
        try FileManager.default.copyItem(atPath: try CLIProcess.binary(), toPath: binary)
        chmod(binary, 0o755)
        let path = directory.appendingPathComponent("cutoverd.sock").path
        let fd = try Self.bind(path, listen: true)
        defer { close(fd) }
        chmod(path, 0o600)
        let group = String(cString: getgrgid(0).pointee.gr_name)
        let result = try CLIProcess.run(
            ["runs", "--socket", path], executable: binary,
            prefix: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        XCTAssertEqual(result.status, 4, result.stderr)
        XCTAssertTrue(
            result.stderr.contains(
                "you may not use \(path): join group \(group) (`sudo usermod -aG \(group) $USER`, then log in again)"),
            result.stderr)
    }

    func testTimeoutWhenTheDaemonDoesNotAnswer() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let daemon = try CLIFakeDaemon(directory: directory) { _ in .silent }
        defer { daemon.stop() }
        let began = Date()
        let result = try CLIProcess.run(["runs", "--socket", daemon.path, "--timeout", "0.5"])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.stderr.contains("cutoverd did not answer within 0.5 s"), result.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(began), 5)
    }

    func testGarbageAnswerIsAProtocolErrorExitSeven() throws {
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let daemon = try CLIFakeDaemon(directory: directory) { _ in .raw(Array("SSH-2.0-OpenSSH_9.2\r\n".utf8)) }
        defer { daemon.stop() }
        let result = try CLIProcess.run(["runs", "--socket", daemon.path])
        XCTAssertEqual(result.status, 7)
        XCTAssertTrue(result.stderr.contains("was not understood"), result.stderr)
    }

    static func bind(_ path: String, listen shouldListen: Bool) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw CLIFakeDaemon.Failure("bind \(path): \(String(cString: strerror(errno)))") }
        if shouldListen { Glibc.listen(fd, 16) }
        return fd
    }
}
