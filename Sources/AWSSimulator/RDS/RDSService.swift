import Foundation

/// The simulated RDS API (being built for issue 3).
public struct RDSService: SimService {
    public init() {}
    public var signingName: String { "rds" }
    public func operation(of request: SimRequest) -> String? { nil }
    public func handle(_ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState) throws(SimError) -> SimResponse {
        throw SimError("NotImplemented", "\(operation) is not implemented by the simulator", status: 501)
    }
    public func render(_ error: SimError, requestId: String) -> SimResponse {
        SimResponse(status: error.status, headers: [("x-amz-request-id", requestId)], body: Data(error.message.utf8))
    }
}
