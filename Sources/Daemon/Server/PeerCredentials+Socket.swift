import Glibc

extension PeerCredentials {
    /// The credentials of the process at the other end of a connected unix socket, as the kernel
    /// recorded them at `connect()` (SO_PEERCRED): they cannot be forged by the peer and do not
    /// change if it later drops privileges or passes the descriptor on.
    public init?(socket fd: Int32) {
        var credentials = KernelCredentials()
        var length = socklen_t(MemoryLayout<KernelCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0, Int(length) == MemoryLayout<KernelCredentials>.size
        else {
            return nil
        }
        self.init(credentials)
    }

    init(_ credentials: KernelCredentials) {
        self.init(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
    }
}

/// Linux's `struct ucred` (`<sys/socket.h>`, `_GNU_SOURCE` only, so Glibc's Swift overlay does not
/// import it): `pid_t pid; uid_t uid; gid_t gid;`, 12 bytes.
struct KernelCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
