/// Who did something, as the operating system vouches for it. The daemon builds it from the
/// control socket's SO_PEERCRED; the engine never takes a name from a request body.
public struct OperatorIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var user: String
    public var uid: UInt32
    /// Group names the user belongs to (primary and supplementary).
    public var groups: [String]
    /// The user behind sudo (`SUDO_USER`/loginuid) when it differs from `user`.
    public var loginUser: String?
    public var loginUid: UInt32?

    public init(user: String, uid: UInt32, groups: [String] = [], loginUser: String? = nil, loginUid: UInt32? = nil) {
        self.user = user
        self.uid = uid
        self.groups = groups
        self.loginUser = loginUser
        self.loginUid = loginUid
    }

    public var description: String {
        var text = "\(user) (uid \(uid))"
        if let loginUser, loginUser != user { text += " via \(loginUser)" }
        return text
    }

    /// The engine itself, for transitions nobody asked for (a timeout, the window closing).
    public static let engine = OperatorIdentity(user: "cutoverd", uid: 0, groups: [])
}
