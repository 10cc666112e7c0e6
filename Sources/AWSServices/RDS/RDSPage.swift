/// One page of a `Describe…` call: the items, the marker for the next page, and the request ID.
public struct RDSPage<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Pass as `marker` to get the next page; `nil` on the last page.
    public var marker: String?
    public var requestId: String?

    public init(items: [Item], marker: String?, requestId: String?) {
        self.items = items
        self.marker = marker
        self.requestId = requestId
    }
}

extension RDSPage: Equatable where Item: Equatable {}
