/// An object or upload owner as listings report it.
public struct S3Owner: Sendable, Equatable {
    /// The canonical user ID.
    public var id: String?
    public var displayName: String?

    public init(id: String?, displayName: String?) {
        self.id = id
        self.displayName = displayName
    }

    init?(_ node: XMLNode?) {
        guard let node else { return nil }
        self.init(id: node.string("ID"), displayName: node.string("DisplayName"))
    }
}
