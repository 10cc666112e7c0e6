/// The pages of an S3 listing, fetched one at a time as the loop asks for them.
///
/// No background task: each `next()` makes at most one call, so cancelling or leaving the loop
/// stops the listing. A page that says "truncated" but gives no way to continue is rejected by
/// the page decoders (`MalformedResponse`), so iteration always ends.
public struct S3Paginator<Page: Sendable, Token: Sendable>: AsyncSequence, Sendable {
    public typealias Element = Page

    let start: Token?
    /// Fetches the page after `token` (nil: the first page) and returns it with the next token.
    let fetch: @Sendable (Token?) async throws -> (page: Page, next: Token?)

    init(start: Token?, fetch: @escaping @Sendable (Token?) async throws -> (page: Page, next: Token?)) {
        self.start = start
        self.fetch = fetch
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(token: start, fetch: fetch) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var token: Token?
        var finished = false
        let fetch: @Sendable (Token?) async throws -> (page: Page, next: Token?)

        public mutating func next() async throws -> Page? {
            guard !finished else { return nil }
            try Task.checkCancellation()
            let (page, next) = try await fetch(token)
            token = next
            finished = next == nil
            return page
        }
    }
}
