import Foundation

/// One line of the simulator's request log: what tests query to assert, for example, that
/// DeleteBucket was issued exactly once or that nothing mutated the source after a point.
public struct SimRequestRecord: Sendable, Equatable, Codable {
    public var sequence: Int
    /// Simulated time of the request.
    public var time: Date
    public var service: String
    public var operation: String
    /// The caller's account; nil when authentication failed before it was known.
    public var account: String?
    public var principalArn: String?
    public var resource: String?
    public var status: Int
    /// The AWS error code answered, if any (including injected faults).
    public var errorCode: String?
    public var requestId: String
    /// True when the call changed simulated state.
    public var mutated: Bool
    /// True when the answer was an injected fault rather than the service's own.
    public var injected: Bool
}
