import Daemon
import Logging
import Synchronization
import Testing

@Suite struct JournaldLogHandlerTests {
    final class Lines: Sendable {
        let all = Mutex<[String]>([])
        var sink: @Sendable (String) -> Void { { [self] line in all.withLock { $0.append(line) } } }
    }

    @Test func daemonLogLinesKeepTheirFieldOrderAndPriority() {
        let lines = Lines()
        let log = DaemonLog(level: .info, sink: lines.sink)
        log.notice("cutoverd ready", ["version": "1", "socket": "/run/x y", "auditKey": "k"])
        log.debug("not shown")
        #expect(lines.all.withLock { $0 } == ["<5>cutoverd ready version=1 socket=\"/run/x y\" auditKey=k"])
    }

    @Test func libraryLoggersAreRedactedAndFollowTheDaemonLevel() {
        let lines = Lines()
        let log = DaemonLog(level: .info, sink: lines.sink)
        let library = Logger(label: "cutover.aws") { log.makeHandler(label: $0) }
        library.debug("aws call retried", metadata: ["requestId": "R1"])
        log.level = .debug
        library.debug("aws call retried", metadata: ["requestId": "R1", "sessionToken": "SECRET", "attempt": "1"])
        library.warning("multi\nline")
        #expect(
            lines.all.withLock { $0 } == [
                "<7>aws call retried attempt=1 requestId=R1 sessionToken=[redacted]",
                "<4>multi line",
            ])
    }
}
