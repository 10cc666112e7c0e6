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

    struct Entry: Equatable, Sendable {
        let secret: String
        let dateStamp: String
        let region: String
        let service: String

        func matches(secret: String, dateStamp: String, region: String, service: String) -> Bool {
            self.dateStamp == dateStamp && self.region == region && self.service == service
                && self.secret == secret
        }
    }

    /// At most `capacity` keys, oldest first, each with a fingerprint of its scope. A lookup
    /// scans the fingerprints (64 words at most) and compares strings only on a match: the
    /// Dictionary it replaces hashed three strings with SipHash and compared four per signature,
    /// about a tenth of the signer's own time (issue 19).
    struct State: Sendable {
        var fingerprints: [UInt64] = []
        var entries: [Entry] = []
        var keys: [SigV4SigningKey] = []

        func index(
            of fingerprint: UInt64, secret: String, dateStamp: String, region: String, service: String
        ) -> Int? {
            for index in fingerprints.indices where fingerprints[index] == fingerprint {
                if entries[index].matches(secret: secret, dateStamp: dateStamp, region: region, service: service) {
                    return index
                }
            }
            return nil
        }
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
        let fingerprint = Self.fingerprint(secretAccessKey, dateStamp, region, service)
        let cached = state.withLock { state -> SigV4SigningKey? in
            state.index(
                of: fingerprint, secret: secretAccessKey, dateStamp: dateStamp, region: region, service: service
            ).map { state.keys[$0] }
        }
        if let cached { return cached }
        // Derive outside the lock: concurrent misses for the same scope compute the same value.
        let key = SigV4SigningKey(
            secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        let capacity = self.capacity
        state.withLock { state in
            let present = state.index(
                of: fingerprint, secret: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
            guard present == nil else { return }
            if state.entries.count >= capacity {
                state.fingerprints.removeFirst()
                state.entries.removeFirst()
                state.keys.removeFirst()
            }
            state.fingerprints.append(fingerprint)
            state.entries.append(
                Entry(secret: secretAccessKey, dateStamp: dateStamp, region: region, service: service))
            state.keys.append(key)
        }
        return key
    }

    /// A 64-bit mix of the four strings' bytes, eight at a time. Not a security boundary (the
    /// strings are compared in full on a match); it only has to tell scopes apart cheaply.
    static func fingerprint(_ secret: String, _ dateStamp: String, _ region: String, _ service: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        mix(secret, into: &hash)
        mix(dateStamp, into: &hash)
        mix(region, into: &hash)
        mix(service, into: &hash)
        return hash
    }

    @inline(__always)
    private static func mix(_ string: String, into hash: inout UInt64) {
        let prime: UInt64 = 0x0000_0100_0000_01B3
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            var index = 0
            while index &+ 8 <= bytes.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* prime
                hash ^= hash >> 29
                index &+= 8
            }
            while index < bytes.count {
                hash = (hash ^ UInt64(bytes[index])) &* prime
                index &+= 1
            }
        }
        if done == nil {
            for byte in string.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        }
        // The length ends each string, so ("ab", "c") and ("a", "bc") differ.
        hash = (hash ^ UInt64(truncatingIfNeeded: string.utf8.count)) &* prime
    }

    /// How many keys are cached.
    public var count: Int { state.withLock { $0.keys.count } }

    /// Drops every cached key (for example after credentials rotate).
    public func removeAll() {
        state.withLock { state in state = State() }
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
