import Foundation
import Glibc
import XCTest

@testable import Daemon

/// The notifier against a real datagram socket standing in for systemd's.
final class SystemdNotifierTests: XCTestCase {
    /// A bound SOCK_DGRAM socket that receives what the notifier sends.
    private final class FakeManager {
        let fd: Int32
        let address: String

        init(address: String) throws {
            self.address = address
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            let socketAddress = try XCTUnwrap(UnixSocketAddress(systemdNotation: address))
            let bound = socketAddress.withSockaddr { bind(fd, $0, $1) }
            guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
        }

        deinit { close(fd) }

        func receive(timeoutMilliseconds: Int32 = 2000) -> String? {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, timeoutMilliseconds) > 0 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : nil
        }
    }

    private var directory = ""

    override func setUpWithError() throws {
        directory = try serverTemporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testReadyStatusWatchdogStoppingOverAPathSocket() throws {
        let manager = try FakeManager(address: "\(directory)/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": manager.address], pid: 1)
        XCTAssertTrue(notifier.isEnabled)

        XCTAssertTrue(notifier.ready(status: "ready: no active runs"))
        XCTAssertEqual(manager.receive(), "READY=1\nSTATUS=ready: no active runs\n")
        XCTAssertTrue(notifier.status("running admin-console-cutover: 3/12"))
        XCTAssertEqual(manager.receive(), "STATUS=running admin-console-cutover: 3/12\n")
        XCTAssertTrue(notifier.watchdog())
        XCTAssertEqual(manager.receive(), "WATCHDOG=1\n")
        XCTAssertTrue(notifier.stopping())
        XCTAssertEqual(manager.receive(), "STOPPING=1\n")
    }

    func testAbstractNotifySocket() throws {
        let name = "@cutover-test-\(UUID().uuidString)"
        let manager = try FakeManager(address: name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name], pid: 1)

        XCTAssertTrue(notifier.ready())
        XCTAssertEqual(manager.receive(), "READY=1\n")
    }

    func testReloadingCarriesTheMonotonicTimestamp() throws {
        let manager = try FakeManager(address: "\(directory)/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": manager.address], pid: 1, monotonicMicroseconds: { 123_456_789 })

        XCTAssertTrue(notifier.reloading())
        XCTAssertEqual(manager.receive(), "RELOADING=1\nMONOTONIC_USEC=123456789\n")
        XCTAssertTrue(notifier.readyAfterReload(status: "reloaded"))
        XCTAssertEqual(manager.receive(), "READY=1\nSTATUS=reloaded\n")
    }

    func testRealMonotonicClockIsCLOCK_MONOTONIC() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let before = UInt64(now.tv_sec) * 1_000_000
        let value = SystemdNotifier.monotonicMicroseconds()
        XCTAssertGreaterThanOrEqual(value, before)
        XCTAssertLessThan(value - before, 10_000_000)
    }

    func testStatusCannotSmuggleAnotherAssignment() throws {
        let manager = try FakeManager(address: "\(directory)/notify")
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": manager.address], pid: 1)

        notifier.status("failed\nREADY=1")

        XCTAssertEqual(manager.receive(), "STATUS=failed READY=1\n")
    }

    func testWithoutNotifySocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:], pid: 1)

        XCTAssertFalse(notifier.isEnabled)
        XCTAssertFalse(notifier.ready(status: "x"))
        XCTAssertNoThrow(try notifier.send([("READY", "1")]))
    }

    func testUnreachableSocketIsReportedNotFatal() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "\(directory)/nobody-here"], pid: 1)

        XCTAssertFalse(notifier.ready())
        XCTAssertThrowsError(try notifier.send([("READY", "1")])) { error in
            XCTAssertEqual((error as? SystemdNotifyError)?.code, .sendFailed)
        }
        let vsock = SystemdNotifier(environment: ["NOTIFY_SOCKET": String(repeating: "x", count: 200)], pid: 1)
        XCTAssertThrowsError(try vsock.send([("READY", "1")])) { error in
            XCTAssertEqual((error as? SystemdNotifyError)?.code, .unsupportedAddress)
        }
    }

    func testWatchdogIntervalIsHalfOfWatchdogUSEC() {
        XCTAssertEqual(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"], pid: 42).watchdogInterval, .seconds(15))
        XCTAssertEqual(
            SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"], pid: 42), .seconds(15))
        XCTAssertEqual(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "1001"], pid: 42), .microseconds(500))
    }

    func testWatchdogMeantForAnotherProcessIsIgnored() {
        XCTAssertNil(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "41"], pid: 42))
        XCTAssertNil(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "0"], pid: 42))
        XCTAssertNil(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "soon"], pid: 42))
        XCTAssertNil(SystemdNotifier.watchdogInterval(environment: [:], pid: 42))
    }
}
