/// What S3 gave back for a change with no other result: the IDs to record in the audit journal
/// next to the mutation, and to quote to AWS Support.
public struct S3Receipt: Sendable, Equatable {
    /// `x-amz-request-id`.
    public var requestId: String?
    /// `x-amz-id-2`.
    public var extendedRequestId: String?

    public init(requestId: String?, extendedRequestId: String?) {
        self.requestId = requestId
        self.extendedRequestId = extendedRequestId
    }

    init(_ response: AWSResponse) {
        self.init(requestId: response.requestId, extendedRequestId: response.extendedRequestId)
    }
}
