#if canImport(Darwin)
    import os
#else
    import Synchronization
#endif

/// Derived signing keys, reused across requests: a key depends only on the secret, the UTC day,
/// the region and the service, and deriving it costs four HMACs — more than the signature itself.
///
/// Thread-safe behind a lock; bounded to `capacity` entries, evicting the oldest first. The
/// cache holds secrets, so it never describes or reflects its contents.
public final class SigningKeyCache: Sendable {
    /// The process-wide cache `SigV4Signer` uses unless given another.
    public static let shared = SigningKeyCache()

    struct Entry: Hashable, Sendable {
        let secret: String
        let dateStamp: String
        let region: String
        let service: String

        /// The scope and the secret's length only: the scope strings are short (inline, cheap to
        /// hash) while the secret is 40 bytes hashed on every signature; entries that differ
        /// only in their secret are still told apart by `==`.
        func hash(into hasher: inout Hasher) {
            hasher.combine(dateStamp)
            hasher.combine(region)
            hasher.combine(service)
            hasher.combine(secret.utf8.count)
        }
    }

    struct State: Sendable {
        var keys: [Entry: SigV4SigningKey] = [:]
        var insertionOrder: [Entry] = []
    }

    private let capacity: Int
    #if canImport(Darwin)
        // `Mutex` needs macOS 15; the package still deploys to macOS 14.
        private let state = OSAllocatedUnfairLock(initialState: State())
    #else
        private let state = Mutex(State())
    #endif

    /// - Parameter capacity: the most keys kept; at least 1.
    public init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
    }

    /// The signing key for the scope, derived once and then served from the cache.
    public func signingKey(
        secretAccessKey: String, dateStamp: String, region: String, service: String
    )
        -> SigV4SigningKey
    {
        let entry = Entry(secret: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        if let key = state.withLock({ $0.keys[entry] }) { return key }
        // Derive outside the lock: concurrent misses for the same scope compute the same value.
        let key = SigV4SigningKey(
            secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        let capacity = self.capacity
        state.withLock { state in
            guard state.keys[entry] == nil else { return }
            if state.keys.count >= capacity, !state.insertionOrder.isEmpty {
                state.keys[state.insertionOrder.removeFirst()] = nil
            }
            state.keys[entry] = key
            state.insertionOrder.append(entry)
        }
        return key
    }

    /// How many keys are cached.
    public var count: Int { state.withLock { $0.keys.count } }

    /// Drops every cached key (for example after credentials rotate).
    public func removeAll() {
        state.withLock { state in
            state.keys.removeAll()
            state.insertionOrder.removeAll()
        }
    }
}

extension SigningKeyCache.Entry: CustomStringConvertible, CustomReflectable {
    var description: String { "SigningKeyCache.Entry(\(dateStamp)/\(region)/\(service), secret redacted)" }
    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension SigningKeyCache: CustomStringConvertible, CustomReflectable {
    public var description: String { "SigningKeyCache(\(count) of \(capacity) keys, contents redacted)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
