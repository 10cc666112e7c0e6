/// An error from an AWS call, carrying everything an operator needs at 3 a.m.: which call, in
/// which account, on which resource, what AWS said, and the request ID to quote to AWS Support.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the error came from.
    public enum Origin: String, Sendable {
        /// AWS answered with an error (the code is AWS's own).
        case service
        /// No complete response arrived (`code` is `Transport.<kind>`).
        case transport
        /// A response arrived but could not be decoded (`code` is `MalformedResponse`).
        case malformedResponse
        /// No credentials could be obtained (`code` is `CredentialsUnavailable`).
        case credentials
    }

    public var origin: Origin
    /// AWS's error code (`NoSuchBucket`, `OperationAborted`, `DBSnapshotNotFound`, …).
    public var code: String
    public var message: String
    /// The HTTP status, 0 when no response arrived.
    public var httpStatus: Int
    public var operation: String
    public var service: String
    public var region: String
    /// The account the call was meant for (its ID or the runbook's label), when known.
    public var account: String?
    public var resource: String?
    public var requestId: String?
    public var extendedRequestId: String?
    /// How many attempts were made before giving up.
    public var attempts: Int

    public init(
        origin: Origin, code: String, message: String, httpStatus: Int, operation: String, service: String,
        region: String, account: String? = nil, resource: String? = nil, requestId: String? = nil,
        extendedRequestId: String? = nil, attempts: Int = 1
    ) {
        self.origin = origin
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.operation = operation
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
        self.requestId = requestId
        self.extendedRequestId = extendedRequestId
        self.attempts = attempts
    }

    public var description: String {
        var parts = ["\(service):\(operation) failed: \(code)"]
        if httpStatus != 0 { parts[0] += " (HTTP \(httpStatus))" }
        if !message.isEmpty { parts.append(message) }
        var context: [String] = []
        if let account { context.append("account \(account)") }
        context.append("region \(region)")
        if let resource { context.append("resource \(resource)") }
        if let requestId { context.append("request ID \(requestId)") }
        if let extendedRequestId { context.append("extended request ID \(extendedRequestId)") }
        if attempts > 1 { context.append("after \(attempts) attempts") }
        return parts.joined(separator: ": ") + " [" + context.joined(separator: ", ") + "]"
    }
}
