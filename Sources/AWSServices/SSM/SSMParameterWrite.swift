/// The answer to `PutParameter`.
public struct SSMParameterWrite: Sendable, Equatable {
    public var version: Int
    public var requestId: String?
}
