import Engine
import Foundation

/// Turns the kernel's word about a control-socket peer (SO_PEERCRED) into the `OperatorIdentity`
/// the engine records on approvals: the user name for the uid, every group the user is in, and
/// the person behind `sudo` when there is one. Nothing comes from the request.
///
/// The resolution itself is pure over `Lookups`, so tests pin it with a fixed user database;
/// `Lookups.system` asks NSS and `/proc`.
public struct PeerIdentityResolver: Sendable {
    /// The user database and process facts the resolver needs.
    public struct Lookups: Sendable {
        /// A passwd entry: the user's name and primary gid, or nil when the uid has none.
        public var user: @Sendable (_ uid: UInt32) -> (name: String, primaryGID: UInt32)?
        /// Every gid the user belongs to (`getgrouplist`), the primary one included.
        public var groupIDs: @Sendable (_ user: String, _ primaryGID: UInt32) -> [UInt32]
        public var groupName: @Sendable (_ gid: UInt32) -> String?
        /// The audit login uid of a process (`/proc/PID/loginuid`); nil when unset or unknown.
        public var loginUID: @Sendable (_ pid: Int32) -> UInt32?

        public init(
            user: @escaping @Sendable (UInt32) -> (name: String, primaryGID: UInt32)?,
            groupIDs: @escaping @Sendable (String, UInt32) -> [UInt32],
            groupName: @escaping @Sendable (UInt32) -> String?,
            loginUID: @escaping @Sendable (Int32) -> UInt32?
        ) {
            self.user = user
            self.groupIDs = groupIDs
            self.groupName = groupName
            self.loginUID = loginUID
        }

        /// NSS through the reentrant libc calls, and `/proc`.
        public static let system = Lookups(
            user: { uid in SystemAccounts.user(uid: uid).map { ($0.name, $0.gid) } },
            groupIDs: { user, gid in SystemAccounts.groupIDs(user: user, primaryGID: gid) },
            groupName: { SystemAccounts.groupName(gid: $0) },
            loginUID: { SystemAccounts.loginUID(pid: $0) })
    }

    public let lookups: Lookups

    public init(lookups: Lookups = .system) {
        self.lookups = lookups
    }

    /// The resolver over the system's user database.
    public static let system = PeerIdentityResolver(lookups: .system)

    /// The identity of the peer. A uid without a passwd entry is `uid-N` and a gid without a group
    /// entry `gid-N`, so approvals by such peers stay attributable (and match no named group).
    /// Groups are the user's primary group, its supplementary groups, then the peer process's own
    /// gid if it differs (a `newgrp` or setgid client), each once.
    public func identity(for peer: PeerCredentials) -> OperatorIdentity {
        let entry = lookups.user(peer.uid)
        let name = entry?.name ?? "uid-\(peer.uid)"

        var gids: [UInt32] = []
        if let entry {
            gids.append(entry.primaryGID)
            gids += lookups.groupIDs(entry.name, entry.primaryGID)
        }
        gids.append(peer.gid)
        var seen = Set<UInt32>()
        var names: [String] = []
        for gid in gids where seen.insert(gid).inserted {
            let groupName = lookups.groupName(gid) ?? "gid-\(gid)"
            if !names.contains(groupName) { names.append(groupName) }
        }

        var identity = OperatorIdentity(user: name, uid: peer.uid, groups: names)
        if let login = lookups.loginUID(peer.pid), login != Self.unsetLoginUID, login != peer.uid {
            identity.loginUid = login
            identity.loginUser = lookups.user(login)?.name ?? "uid-\(login)"
        }
        return identity
    }

    /// `(uid_t)-1`: what `/proc/PID/loginuid` holds for processes no login session started.
    public static let unsetLoginUID: UInt32 = 4_294_967_295
}
