import Foundation
import Journal
import Synchronization

/// Fans every record this daemon journals out to its subscribers: `events?follow=true` streams,
/// `status --watch`, metrics and notifications. Fed by `Journal.observeAppends`, so nothing polls.
public final class RunEventHub: Sendable {
    private struct Subscriber {
        let stream: String?
        let continuation: AsyncStream<JournalRecord>.Continuation
    }

    private let subscribers = Mutex<[UInt64: Subscriber]>([:])
    private let nextId = Atomic<UInt64>(1)

    public init() {}

    /// Starts feeding the hub from `journal`'s appends.
    public func attach(to journal: Journal) {
        journal.observeAppends { [weak self] record in self?.publish(record) }
    }

    func publish(_ record: JournalRecord) {
        for subscriber in subscribers.withLock({ Array($0.values) })
        where subscriber.stream == nil || subscriber.stream == record.stream {
            subscriber.continuation.yield(record)
        }
    }

    /// Records of `stream` (nil: every stream) appended from now on. A slow reader keeps the
    /// newest 10,000 records; the stream ends with `finishAll()`.
    public func subscribe(stream: String?) -> AsyncStream<JournalRecord> {
        let id = nextId.wrappingAdd(1, ordering: .relaxed).oldValue
        let (records, continuation) = AsyncStream<JournalRecord>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = Subscriber(stream: stream, continuation: continuation) }
        return records
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// Ends every subscription (shutdown).
    public func finishAll() {
        for subscriber in subscribers.withLock({ Array($0.values) }) { subscriber.continuation.finish() }
    }
}
