/// What S3 gave back for a change with no other result: the IDs to record in the audit journal
/// next to the mutation, and to quote to AWS Support.
public struct S3Receipt: Sendable, Equatable {
    /// `x-amz-request-id`.
    public var requestId: String?
    /// `x-amz-id-2`.
    public var extendedRequestId: String?
    /// `x-amz-version-id`: the version (or delete marker) the call created or removed, when S3 says.
    public var versionId: String?
    /// `x-amz-delete-marker: true`: the call created or removed a delete marker.
    public var deleteMarker = false

    public init(requestId: String?, extendedRequestId: String?, versionId: String? = nil, deleteMarker: Bool = false) {
        self.requestId = requestId
        self.extendedRequestId = extendedRequestId
        self.versionId = versionId
        self.deleteMarker = deleteMarker
    }

    init(_ response: AWSResponse) {
        self.init(
            requestId: response.requestId, extendedRequestId: response.extendedRequestId,
            versionId: response.headers["x-amz-version-id"], deleteMarker: response.headers["x-amz-delete-marker"] == "true")
    }
}
