/// A place notifications go: a webhook, an SNS topic.
public protocol NotificationTarget: Sendable {
    /// Names the target in logs and in the `target` label of `cutover_notifications_total`. Never a
    /// secret: a webhook is named by its host, not its URL (whose path is often the token).
    var name: String { get }
    /// The kinds this target wants; empty: every kind.
    var events: [CutoverNotification.Kind] { get }
    /// Sends one notification. Throws `NotificationDeliveryError` when it did not arrive.
    func deliver(_ notification: CutoverNotification) async throws(NotificationDeliveryError)
}

extension NotificationTarget {
    public func wants(_ notification: CutoverNotification) -> Bool {
        events.isEmpty || events.contains(notification.kind)
    }
}
