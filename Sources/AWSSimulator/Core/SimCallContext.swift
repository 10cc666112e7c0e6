import Foundation

/// Everything a service handler knows about the call it is serving.
public struct SimCallContext: Sendable {
    public var principal: SimPrincipal
    /// Simulated now (from the simulator's clock), fixed for the whole call.
    public var now: Date
    public var requestId: String
    /// The region from the request's credential scope.
    public var region: String
    public var configuration: SimConfiguration
    /// What the call acted on (bucket, bucket/key, snapshot ID…), set by the handler for the log.
    public var resource: String?
    /// Set by the handler when the call changed state (for "nothing mutated after T" assertions).
    public var mutated = false

    public init(principal: SimPrincipal, now: Date, requestId: String, region: String, configuration: SimConfiguration) {
        self.principal = principal
        self.now = now
        self.requestId = requestId
        self.region = region
        self.configuration = configuration
    }
}
