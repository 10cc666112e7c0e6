/// One page of `ListAliases`.
public struct KMSAliasPage: Sendable, Equatable {
    public var aliases: [KMSAlias]
    /// Pass as `marker` for the next page; `nil` on the last page.
    public var nextMarker: String?
    public var truncated: Bool
    public var requestId: String?

    public init(aliases: [KMSAlias], nextMarker: String?, truncated: Bool, requestId: String? = nil) {
        self.aliases = aliases
        self.nextMarker = nextMarker
        self.truncated = truncated
        self.requestId = requestId
    }
}
