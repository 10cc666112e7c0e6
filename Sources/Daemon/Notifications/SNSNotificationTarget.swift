import AWSClient
import Foundation

/// Publishes notifications to an SNS topic (`Publish`, Query protocol, API 2010-03-31) with the
/// daemon's own credentials, signed by our SigV4 signer like every other AWS call. The message is
/// plain text for e-mail and SMS subscribers; `kind` and `run` go along as message attributes so
/// subscriptions can filter on them.
public struct SNSNotificationTarget: NotificationTarget {
    /// SNS as `AWSClient` needs it. (AWSClient's `AWSService` has no `.sns` yet; this is the value
    /// it would have.)
    public static let service = AWSService.sns

    public let name: String
    public let events: [CutoverNotification.Kind]
    public let topicArn: String
    private let client: AWSClient
    private let access: DaemonConfig.Access

    /// - Parameter name: for logs and metrics; `Notifier` uses `sns:TOPIC`.
    /// - Parameter client: an SNS client (`SNSNotificationTarget.client(for:…)`) in the topic's region.
    public init(_ config: DaemonConfig.SNSTarget, name: String, access: DaemonConfig.Access = DaemonConfig.Access(), client: AWSClient) {
        self.name = name
        self.topicArn = config.topicArn
        self.events = config.events.compactMap(CutoverNotification.Kind.init(rawValue:))
        self.access = access
        self.client = client
    }

    /// The client a topic is published with: SNS in the configured region (else the ARN's), with
    /// the daemon's own credentials. A notification should not hold the queue long, so calls time
    /// out after 20 s and are tried at most twice.
    public static func client(
        for config: DaemonConfig.SNSTarget, credentials: any CredentialProvider, endpoints: EndpointResolver = EndpointResolver(),
        transport: any HTTPTransport = CurlTransport.shared,
        retry: RetryConfiguration = RetryConfiguration(maxAttempts: 2, maxBackoff: .seconds(2)),
        timeouts: TransportTimeouts = TransportTimeouts(connect: .seconds(5), total: .seconds(20))
    ) -> AWSClient {
        let arn = SNSTopicARN(config.topicArn)
        return AWSClient(
            service: service, region: config.region ?? arn?.region ?? "us-east-1", credentials: credentials,
            transport: transport, endpoints: endpoints, retry: retry, account: arn?.account, timeouts: timeouts)
    }

    public func deliver(_ notification: CutoverNotification) async throws(NotificationDeliveryError) {
        let action = notification.action(access: access)
        let parameters: [(String, String)] = [
            ("TopicArn", topicArn),
            ("Subject", Self.subject(notification.title)),
            ("Message", Self.message(notification, action: action)),
            ("MessageAttributes.entry.1.Name", "kind"),
            ("MessageAttributes.entry.1.Value.DataType", "String"),
            ("MessageAttributes.entry.1.Value.StringValue", notification.kind.rawValue),
            ("MessageAttributes.entry.2.Name", "run"),
            ("MessageAttributes.entry.2.Value.DataType", "String"),
            ("MessageAttributes.entry.2.Value.StringValue", notification.runId),
        ]
        do {
            let response = try await client.query(action: "Publish", parameters: parameters, resource: topicArn)
            guard response.result.string("MessageId") != nil else {
                throw NotificationDeliveryError(
                    target: name, status: response.raw.status, code: "MalformedResponse",
                    message: "Publish answered without a MessageId", requestId: response.requestId)
            }
        } catch let error as NotificationDeliveryError {
            throw error
        } catch let error as AWSError {
            throw NotificationDeliveryError(
                target: name, status: error.httpStatus == 0 ? nil : error.httpStatus, code: error.code,
                message: error.message, requestId: error.requestId)
        } catch {
            throw NotificationDeliveryError(target: name, status: nil, code: "Unexpected", message: "\(error)")
        }
    }

    /// SNS subjects: ASCII, no line breaks or control characters, under 100 characters.
    static func subject(_ title: String) -> String {
        var ascii = String(title.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F ? Character($0) : " " })
        ascii = ascii.trimmingCharacters(in: .whitespaces)
        if ascii.isEmpty { ascii = "Cutover notification" }
        return ascii.count < 100 ? ascii : String(ascii.prefix(96)) + "..."
    }

    /// The plain-text body: what happened, the facts, who acts and how.
    static func message(_ notification: CutoverNotification, action: NotificationAction) -> String {
        var lines = [notification.title, "", notification.text, "", "Run: \(notification.runId)", "Runbook: \(notification.runbook)"]
        if let step = notification.step { lines.append("Step: \(step)") }
        if let who = action.who { lines.append("Who must act: \(who)") }
        for (key, value) in notification.fields.sorted(by: { $0.key < $1.key }) { lines.append("\(key): \(value)") }
        if !action.commands.isEmpty {
            lines.append("")
            lines.append(action.who == nil ? "To review:" : "To act:")
            lines += action.commands.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// `sns:TOPIC`.
    static func defaultName(for topicArn: String) -> String {
        "sns:" + (SNSTopicARN(topicArn)?.topic ?? topicArn)
    }
}
