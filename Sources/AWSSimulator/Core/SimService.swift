/// One AWS service of the simulator: it names the operation a request asks for, performs it on
/// the world state (under the world lock, so handlers are plain synchronous code), and renders
/// errors in its own wire format.
public protocol SimService: Sendable {
    /// The SigV4 service name whose requests this service serves (`s3`, `rds`, `sts`, `kms`, `ec2`).
    var signingName: String { get }

    /// The API operation name (`CreateBucket`, `DescribeDBSnapshots`), or nil when the request is
    /// not an operation this service implements (answered with a rendered `NotImplemented`).
    func operation(of request: SimRequest) -> String?

    /// Performs `operation`. Throws `SimError` for AWS errors; never traps on bad input.
    func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse

    /// The wire form of an error for this service.
    func render(_ error: SimError, requestId: String) -> SimResponse
}
