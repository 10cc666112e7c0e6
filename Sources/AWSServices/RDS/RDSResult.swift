/// The outcome of an RDS call that returns one resource, with the AWS request ID the engine
/// journals beside every mutation (for CloudTrail and AWS Support).
public struct RDSResult<Value: Sendable>: Sendable {
    public var value: Value
    public var requestId: String?

    public init(value: Value, requestId: String?) {
        self.value = value
        self.requestId = requestId
    }
}

extension RDSResult: Equatable where Value: Equatable {}
