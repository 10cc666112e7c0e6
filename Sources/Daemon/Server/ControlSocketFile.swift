import Glibc

/// The control socket as a file: checking what occupies the path, binding a new socket there
/// with the configured mode and group, and removing it on shutdown. The group and mode are the
/// access control of the whole API (DESIGN.md, "Approvals and identity"), so they are applied
/// before `listen()`: until then the kernel refuses every connection, and nobody can slip in while
/// the socket still has the umask's permissions.
enum ControlSocketFile {
    /// What `lstat` and a probing `connect` find at a path.
    enum Occupant: Equatable {
        case nothing
        /// A socket nobody listens on: left behind by a daemon that crashed or was killed.
        case staleSocket
        /// A socket a process answers on; its pid when the kernel told us.
        case liveSocket(pid: Int32?)
        /// A regular file, a directory, …
        case notASocket
        /// The path could not be examined (EACCES, …).
        case unknown(errno: Int32)
    }

    /// The identity of the file we bound, so `remove` never unlinks a socket a later daemon made.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    static func occupant(of path: String) -> Occupant {
        var info = stat()
        if lstat(path, &info) != 0 {
            return errno == ENOENT ? .nothing : .unknown(errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { return .notASocket }
        guard let address = UnixSocketAddress(path: path) else { return .unknown(errno: ENAMETOOLONG) }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return .unknown(errno: errno) }
        defer { close(probe) }
        let connected = address.withSockaddr { connect(probe, $0, $1) }
        if connected == 0 {
            return .liveSocket(pid: PeerCredentials(socket: probe)?.pid)
        }
        switch errno {
        case ECONNREFUSED: return .staleSocket
        // A listener with a full backlog is alive, just busy.
        case EAGAIN: return .liveSocket(pid: nil)
        case let code: return .unknown(errno: code)
        }
    }

    /// Makes room at `path` (removing a stale socket only) and binds a new unix stream socket
    /// there with `mode` and `group`, not yet listening. Returns the descriptor and the file's
    /// identity.
    static func bind(path: String, mode: UInt32, group: String?) throws -> (fd: Int32, identity: Identity) {
        func failure(_ code: ControlServerError.Code, _ message: String) -> ControlServerError {
            ControlServerError(code, message, socket: path)
        }
        guard let address = UnixSocketAddress(path: path) else {
            throw failure(
                .pathTooLong,
                "the path is empty or longer than \(UnixSocketAddress.maxPathBytes) bytes, the limit of a unix socket address; choose a shorter socket.path"
            )
        }
        // Resolve the group before touching the filesystem: a typo must not cost the old socket.
        let gid: UInt32?
        if let group {
            guard let found = SystemAccounts.groupID(named: group) else {
                throw failure(
                    .groupNotFound,
                    "the socket group '\(group)' does not exist; create it (systemd-sysusers, groupadd) or change socket.group")
            }
            gid = found
        } else {
            gid = nil
        }

        switch occupant(of: path) {
        case .nothing:
            break
        case .staleSocket:
            guard unlink(path) == 0 || errno == ENOENT else {
                throw failure(.bindFailed, "could not remove the stale socket: \(errnoDescription())")
            }
        case .liveSocket(let pid):
            let who = pid.map { "process \($0)" } ?? "a process"
            throw failure(
                .socketInUse,
                "\(who) is already answering on this socket, probably another cutoverd; stop it first (systemctl stop cutoverd) or use another socket.path"
            )
        case .notASocket:
            throw failure(
                .pathOccupied, "the path exists and is not a socket; refusing to replace it, remove it by hand if it is not needed")
        case .unknown(let code):
            throw failure(.bindFailed, "could not examine the path: \(errnoDescription(code))")
        }

        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure(.bindFailed, "socket(): \(errnoDescription())") }
        var bound = false
        do {
            guard address.withSockaddr({ Glibc.bind(fd, $0, $1) }) == 0 else {
                throw failure(.bindFailed, "bind(): \(errnoDescription()); check that the directory exists and is writable by cutoverd")
            }
            bound = true
            guard chmod(path, mode_t(mode)) == 0 else {
                throw failure(.bindFailed, "chmod \(String(mode, radix: 8)): \(errnoDescription())")
            }
            if let gid, let group {
                guard chown(path, uid_t.max, gid) == 0 else {
                    throw failure(
                        .bindFailed,
                        "chown to group '\(group)': \(errnoDescription()); cutoverd must be a member of the group (SupplementaryGroups=) or root"
                    )
                }
            }
            var info = stat()
            guard lstat(path, &info) == 0 else { throw failure(.bindFailed, "stat after bind: \(errnoDescription())") }
            return (fd, Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        } catch {
            close(fd)
            if bound { unlink(path) }
            throw error
        }
    }

    /// Unlinks `path` if it is still the socket we bound (another daemon may have replaced it).
    static func remove(path: String, identity: Identity) {
        var info = stat()
        guard lstat(path, &info) == 0, UInt64(info.st_dev) == identity.device, UInt64(info.st_ino) == identity.inode else { return }
        unlink(path)
    }

    /// Checks that systemd passed what `cutoverd.socket` promises: a listening unix stream socket.
    static func checkInherited(fd: Int32) throws {
        func option(_ name: Int32) -> Int32? {
            var value: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            return getsockopt(fd, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
        }
        let where_ = "fd \(fd)"
        guard fcntl(fd, F_GETFD) >= 0 else {
            throw ControlServerError(.notAListeningSocket, "the descriptor is not open: \(errnoDescription())", socket: where_)
        }
        guard option(SO_DOMAIN) == AF_UNIX, option(SO_TYPE) == Int32(SOCK_STREAM.rawValue) else {
            throw ControlServerError(
                .notAListeningSocket, "not a unix stream socket; cutoverd.socket must use ListenStream= with a path", socket: where_)
        }
        guard option(SO_ACCEPTCONN) == 1 else {
            throw ControlServerError(.notAListeningSocket, "the socket is not listening", socket: where_)
        }
    }
}
