import Foundation
import Synchronization

/// The local clock plus the correction learned from the server's `Date` header after a
/// clock-skew error, so signatures carry a time AWS accepts even on a host with a drifting clock.
final class ClockSkew: Sendable {
    let now: @Sendable () -> Date
    private let correction = Mutex<TimeInterval>(0)
    /// AWS rejects signatures more than 5 minutes off; botocore corrects past 4.
    static let threshold: TimeInterval = 4 * 60

    init(now: @escaping @Sendable () -> Date) { self.now = now }

    var offset: TimeInterval { correction.withLock { $0 } }

    func current() -> Date { now().addingTimeInterval(offset) }

    /// Learns the offset from an HTTP `Date` header; returns true when the skew justified a retry.
    func correct(serverDate header: String?) -> Bool {
        guard let header, let server = HTTPDate.parse(header) else { return false }
        let skew = server.timeIntervalSince(now())
        guard abs(skew - offset) > Self.threshold else { return false }
        correction.withLock { $0 = skew }
        return true
    }
}
