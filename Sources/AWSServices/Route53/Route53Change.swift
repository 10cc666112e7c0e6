import Foundation

/// `ChangeInfo`: a change batch's ID and whether every Route 53 DNS server has it (`INSYNC`).
public struct Route53Change: Sendable, Equatable {
    /// Without the `/change/` prefix, as `GetChange` takes it.
    public var id: String
    /// `PENDING` or `INSYNC`.
    public var status: String
    public var submittedAt: String?
    public var requestId: String?

    public init(id: String, status: String, submittedAt: String? = nil, requestId: String? = nil) {
        self.id = id
        self.status = status
        self.submittedAt = submittedAt
        self.requestId = requestId
    }

    public var isInSync: Bool { status == "INSYNC" }
}
