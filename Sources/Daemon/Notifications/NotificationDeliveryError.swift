/// Why a notification did not reach a target: the HTTP status when the target answered, the AWS
/// error code and request ID for SNS, the transport problem otherwise. Never carries a webhook URL
/// or a credential.
public struct NotificationDeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var target: String
    /// The HTTP status the target answered with; nil when no answer came (refused, timed out).
    public var status: Int?
    /// `Transport.couldNotConnect`, `AuthorizationError`, `NotFound`, `HTTP 500`, …
    public var code: String
    public var message: String
    public var requestId: String?

    public init(target: String, status: Int?, code: String, message: String, requestId: String? = nil) {
        self.target = target
        self.status = status
        self.code = code
        self.message = message
        self.requestId = requestId
    }

    public var description: String {
        var text = "\(target): \(code)"
        if let status { text += " (HTTP \(status))" }
        if !message.isEmpty { text += ": \(message)" }
        if let requestId { text += " [request ID \(requestId)]" }
        return text
    }
}
