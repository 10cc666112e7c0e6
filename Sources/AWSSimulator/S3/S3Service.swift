import Foundation

/// The simulated S3 API (being built for issue 3).
public struct S3Service: SimService {
    public init() {}
    public var signingName: String { "s3" }
    public func operation(of request: SimRequest) -> String? { nil }
    public func handle(_ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState) throws(SimError) -> SimResponse {
        throw SimError("NotImplemented", "\(operation) is not implemented by the simulator", status: 501)
    }
    public func render(_ error: SimError, requestId: String) -> SimResponse {
        SimResponse(status: error.status, headers: [("x-amz-request-id", requestId)], body: Data(error.message.utf8))
    }
}
