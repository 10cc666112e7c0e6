import Foundation
import Glibc
import XCTest

@testable import Daemon

final class SystemdSocketActivationTests: XCTestCase {
    func testDescriptorsStartAtThreeForOurPid() {
        let environment = ["LISTEN_PID": "4242", "LISTEN_FDS": "2", "LISTEN_FDNAMES": "control:metrics"]

        XCTAssertEqual(SocketActivation.descriptors(environment: environment, pid: 4242), [3, 4])
        XCTAssertEqual(SocketActivation.names(environment: environment), ["control", "metrics"])
    }

    func testVariablesMeantForAnotherProcessAreIgnored() {
        XCTAssertEqual(SocketActivation.descriptors(environment: ["LISTEN_PID": "4241", "LISTEN_FDS": "1"], pid: 4242), [])
        XCTAssertEqual(SocketActivation.listeningSockets(environment: ["LISTEN_PID": "4241", "LISTEN_FDS": "1"], pid: 4242), [])
    }

    func testMissingOrGarbledVariablesMeanNoSockets() {
        XCTAssertEqual(SocketActivation.descriptors(environment: [:], pid: 1), [])
        XCTAssertEqual(SocketActivation.descriptors(environment: ["LISTEN_FDS": "1"], pid: 1), [])
        XCTAssertEqual(SocketActivation.descriptors(environment: ["LISTEN_PID": "1"], pid: 1), [])
        XCTAssertEqual(SocketActivation.descriptors(environment: ["LISTEN_PID": "1", "LISTEN_FDS": "0"], pid: 1), [])
        XCTAssertEqual(SocketActivation.descriptors(environment: ["LISTEN_PID": "1", "LISTEN_FDS": "-2"], pid: 1), [])
        XCTAssertEqual(SocketActivation.descriptors(environment: ["LISTEN_PID": "1", "LISTEN_FDS": "many"], pid: 1), [])
        XCTAssertEqual(SocketActivation.descriptors(environment: ["LISTEN_PID": "x", "LISTEN_FDS": "1"], pid: 1), [])
        XCTAssertEqual(SocketActivation.names(environment: [:]), [])
    }

    func testListeningSocketsAreMarkedCloseOnExec() throws {
        // Descriptor 3 is where systemd puts the first socket. Put a real socket there if it is free;
        // otherwise borrow whatever is there and restore its flags afterwards.
        var created: Int32 = -1
        let originalFlags = fcntl(3, F_GETFD)
        if originalFlags < 0 {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            XCTAssertEqual(dup2(fd, 3), 3)
            close(fd)
            created = 3
        }
        defer {
            if created >= 0 { close(created) } else { _ = fcntl(3, F_SETFD, originalFlags) }
        }
        XCTAssertEqual(fcntl(3, F_SETFD, 0), 0)

        let sockets = SocketActivation.listeningSockets(environment: ["LISTEN_PID": String(getpid()), "LISTEN_FDS": "1"], pid: getpid())

        XCTAssertEqual(sockets, [3])
        XCTAssertEqual(fcntl(3, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC)
    }

    func testUnsetEnvironmentRemovesTheVariables() {
        setenv("LISTEN_PID", "1", 1)
        setenv("LISTEN_FDS", "1", 1)
        setenv("LISTEN_FDNAMES", "control", 1)

        SocketActivation.unsetEnvironment()

        XCTAssertNil(getenv("LISTEN_PID"))
        XCTAssertNil(getenv("LISTEN_FDS"))
        XCTAssertNil(getenv("LISTEN_FDNAMES"))
    }
}
