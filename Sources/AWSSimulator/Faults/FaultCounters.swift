/// How many faults the injector has injected since it was created (or `resetCounters()`), by kind.
/// Clearing the rules keeps these totals, so a test can clear rules and still assert on them.
public struct FaultCounters: Sendable, Equatable, Codable {
    public var internalErrors = 0
    public var throttles = 0
    /// Errors from `.error(...)` rules.
    public var otherErrors = 0
    public var resets = 0
    public var drops = 0
    public var delayed = 0
    /// `SlowDown` answers from the per-prefix rate limit (not from rules).
    public var rateLimited = 0

    public init() {}

    /// Every request answered differently because of a rule or the rate limit (latency counts).
    public var total: Int { internalErrors + throttles + otherErrors + resets + drops + delayed + rateLimited }
}
