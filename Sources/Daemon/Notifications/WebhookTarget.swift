import AWSClient
import Foundation

/// Posts notifications as JSON (`WebhookPayload`: Slack-compatible) to a URL, over the same libcurl
/// transport as AWS calls, so proxies and the CA bundle apply the same way.
public struct WebhookTarget: NotificationTarget {
    public let name: String
    public let events: [CutoverNotification.Kind]
    /// Whole request, connect included.
    public let timeout: Duration
    private let url: String
    private let access: DaemonConfig.Access
    private let transport: any HTTPTransport

    /// - Parameter name: for logs and metrics; `Notifier` uses `webhook:HOST`.
    public init(
        _ config: DaemonConfig.Webhook, name: String, access: DaemonConfig.Access = DaemonConfig.Access(),
        transport: any HTTPTransport = CurlTransport.shared
    ) {
        self.name = name
        self.url = config.url
        self.events = config.events.compactMap(CutoverNotification.Kind.init(rawValue:))
        self.timeout = .milliseconds(Int64((config.timeoutSeconds * 1000).rounded()))
        self.access = access
        self.transport = transport
    }

    public func deliver(_ notification: CutoverNotification) async throws(NotificationDeliveryError) {
        let body = WebhookPayload.body(for: notification, action: notification.action(access: access))
        let request = HTTPRequest(
            method: "POST", url: url, headers: ["Content-Type": "application/json; charset=utf-8", "Accept": "*/*"],
            body: body)
        let response: HTTPResponse
        do {
            response = try await transport.send(request, timeout: TransportTimeouts(connect: min(timeout, .seconds(5)), total: timeout))
        } catch let error as TransportError {
            // Not `error.description`: it carries the URL, and a webhook URL is a secret.
            throw NotificationDeliveryError(target: name, status: nil, code: "Transport.\(error.kind.rawValue)", message: error.message)
        } catch is CancellationError {
            throw NotificationDeliveryError(target: name, status: nil, code: "Cancelled", message: "the daemon is stopping")
        } catch {
            throw NotificationDeliveryError(target: name, status: nil, code: "Transport", message: "\(type(of: error))")
        }
        guard (200..<300).contains(response.status) else {
            let answer = String(decoding: response.body.prefix(200), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
            throw NotificationDeliveryError(
                target: name, status: response.status, code: "HTTP \(response.status)",
                message: answer.isEmpty ? "the webhook refused the notification" : "the webhook answered: \(answer)")
        }
    }

    /// `webhook:hooks.slack.com`: the host only.
    static func defaultName(for url: String) -> String {
        "webhook:" + (URLComponents(string: url)?.host ?? "unknown-host")
    }
}
