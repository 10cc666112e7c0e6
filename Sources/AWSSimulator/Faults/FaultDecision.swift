/// What fault injection decided for one request: answer with an error instead of the service,
/// delay the answer, and/or break the connection.
public struct FaultDecision: Sendable, Equatable {
    public var error: SimError?
    public var delay: Duration?
    public var network: SimResponse.NetworkFault?

    public init(error: SimError? = nil, delay: Duration? = nil, network: SimResponse.NetworkFault? = nil) {
        self.error = error
        self.delay = delay
        self.network = network
    }
}
