import Glibc

/// `sd_listen_fds(3)` without libsystemd: the sockets systemd opened for us from
/// `cutoverd.socket`, so the control socket exists (and queues connections) before the daemon
/// runs and across its restarts.
///
/// systemd passes them as descriptors 3, 4, … and describes them in LISTEN_PID (the process they
/// are meant for), LISTEN_FDS (how many) and LISTEN_FDNAMES (`:`-separated names).
public enum SocketActivation {
    /// SD_LISTEN_FDS_START.
    public static let firstDescriptor: Int32 = 3

    /// The passed descriptors, if they are meant for `pid`, with FD_CLOEXEC set on each so
    /// processes we start do not inherit the listening socket. Empty when nothing was passed, or
    /// the variables were inherited from a parent that was the real recipient.
    public static func listeningSockets(environment: [String: String], pid: Int32) -> [Int32] {
        let descriptors = descriptors(environment: environment, pid: pid)
        for fd in descriptors {
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 {
                _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
            }
        }
        return descriptors
    }

    /// The descriptor numbers the variables announce for `pid`; no system calls.
    public static func descriptors(environment: [String: String], pid: Int32) -> [Int32] {
        guard let target = environment["LISTEN_PID"].flatMap({ Int32($0) }), target == pid,
            let count = environment["LISTEN_FDS"].flatMap({ Int32($0) }), count > 0,
            // A count past any sane descriptor table is garbage, not 10⁹ sockets.
            count <= 4096
        else { return [] }
        return Array(firstDescriptor..<(firstDescriptor + count))
    }

    /// LISTEN_FDNAMES split per descriptor (`FileDescriptorName=` in the .socket unit; systemd
    /// defaults each to the unit's name). Empty when unset.
    public static func names(environment: [String: String]) -> [String] {
        guard let names = environment["LISTEN_FDNAMES"], !names.isEmpty else { return [] }
        return names.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    }

    /// Removes LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES from our environment, so no child takes
    /// them for its own (`sd_listen_fds(1)`'s unset_environment). Only those that are set:
    /// `unsetenv` rewrites `environ`, which races with any other thread reading it (a `Process`
    /// being spawned copies it), so a daemon that was not socket-activated leaves it alone — an
    /// in-process daemon in the test suite crashed a concurrent `Process.run` that way.
    public static func unsetEnvironment() {
        for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] where getenv(name) != nil {
            unsetenv(name)
        }
    }
}
