import Foundation
import Glibc

/// The operating system's user and group database through NSS (`/etc/passwd`, `/etc/group`, LDAP,
/// systemd-userdb — whatever nsswitch.conf says), with the reentrant `_r` calls: the control
/// server resolves peers on several threads at once.
enum SystemAccounts {
    struct User: Sendable, Equatable {
        var name: String
        var uid: UInt32
        /// The primary group from the passwd entry.
        var gid: UInt32
    }

    static func user(uid: UInt32) -> User? {
        withGrowingBuffer(initial: sysconf(Int32(_SC_GETPW_R_SIZE_MAX))) { buffer in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let code = getpwuid_r(uid, &entry, buffer.baseAddress!, buffer.count, &result)
            guard code == 0 else { return .failed(code) }
            guard result != nil, let name = entry.pw_name else { return .done(nil) }
            return .done(User(name: String(cString: name), uid: entry.pw_uid, gid: entry.pw_gid))
        } ?? nil
    }

    static func groupName(gid: UInt32) -> String? {
        withGrowingBuffer(initial: sysconf(Int32(_SC_GETGR_R_SIZE_MAX))) { buffer in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let code = getgrgid_r(gid, &entry, buffer.baseAddress!, buffer.count, &result)
            guard code == 0 else { return .failed(code) }
            guard result != nil, let name = entry.gr_name else { return .done(nil) }
            return .done(String(cString: name))
        } ?? nil
    }

    static func groupID(named name: String) -> UInt32? {
        withGrowingBuffer(initial: sysconf(Int32(_SC_GETGR_R_SIZE_MAX))) { buffer in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let code = getgrnam_r(name, &entry, buffer.baseAddress!, buffer.count, &result)
            guard code == 0 else { return .failed(code) }
            return .done(result == nil ? nil : entry.gr_gid)
        } ?? nil
    }

    /// Every group `user` belongs to, its primary group (`gid`) included, as `getgrouplist` reports.
    static func groupIDs(user: String, primaryGID gid: UInt32) -> [UInt32] {
        var capacity: Int32 = 32
        for _ in 0..<8 {
            var groups = [gid_t](repeating: 0, count: Int(capacity))
            var count = capacity
            if getgrouplist(user, gid, &groups, &count) >= 0 {
                return Array(groups.prefix(Int(count)))
            }
            // -1: too small; glibc stored the number it needs in `count`.
            capacity = max(count, capacity * 2)
        }
        return [gid]
    }

    /// `/proc/PID/loginuid`: the uid that logged in (audit's login uid, kept across sudo and su).
    /// 4294967295 means "not set" (a daemon, or a kernel without audit); nil then, or when the
    /// process is gone.
    static func loginUID(pid: Int32) -> UInt32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/loginuid", encoding: .utf8),
            let value = UInt32(text.trimmingCharacters(in: .whitespacesAndNewlines)), value != UInt32.max
        else { return nil }
        return value
    }

    private enum Attempt<Value> {
        case done(Value)
        case failed(Int32)
    }

    /// Runs `body` with a scratch buffer for the `_r` calls, doubling it while they answer ERANGE.
    /// Nil on any other error (EIO from a remote directory, for instance): the caller treats the
    /// entry as unknown rather than failing the request.
    private static func withGrowingBuffer<Value>(initial: Int, _ body: (UnsafeMutableBufferPointer<CChar>) -> Attempt<Value>) -> Value? {
        var size = initial > 0 ? initial : 1024
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            let outcome = buffer.withUnsafeMutableBufferPointer { body($0) }
            switch outcome {
            case .done(let value): return value
            case .failed(let code) where code == ERANGE: size *= 2
            case .failed: return nil
            }
        }
        return nil
    }
}
