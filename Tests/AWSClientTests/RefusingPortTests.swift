import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `RefusingPort` keeps its number while it lives, so no server of another test can take it
/// (a stopped server's port could be given out again and answer a connection meant to fail).
@Suite struct RefusingPortTests {
    /// Binds a listening-capable socket the way `LoopbackHTTPServer` does (with SO_REUSEADDR)
    /// to `port`; returns errno, or 0 if the bind succeeded.
    func bindLikeAServer(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0 ? 0 : errno
    }

    @Test func aServerCannotTakeTheNumberWhileItLives() throws {
        var refusing: RefusingPort? = try RefusingPort()
        let port = try #require(refusing?.port)
        #expect(bindLikeAServer(port) == EADDRINUSE)
        refusing = nil
        // Released with the value: the same bind now succeeds.
        #expect(bindLikeAServer(port) == 0)
    }
}
