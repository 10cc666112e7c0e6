import Foundation

/// Decides, per request, whether to inject a fault. (Rules, probabilities, schedules and the
/// per-prefix rate limit: being built for issue 3.)
public final class FaultInjector: Sendable {
    public init(seed: UInt64) {}

    public func decide(request: SimRequest, service: String, operation: String, realNow: Date) -> FaultDecision? {
        nil
    }
}
