import Foundation

/// The JSON a webhook receives: Slack's incoming-webhook shape (`text` as the notification
/// fallback, `blocks` for the message), which Mattermost, Rocket.Chat and most chat bridges also
/// read, plus a `cutover` object with the same facts as plain fields for programs.
enum WebhookPayload {
    /// Slack's limits: a header is at most 150 characters, a text object 3000, a section 10 fields.
    static let headerLimit = 150
    static let textLimit = 3000
    static let fieldLimit = 10

    static func body(for notification: CutoverNotification, action: NotificationAction) -> Data {
        var facts: [(String, String)] = [("Run", notification.runId), ("Runbook", notification.runbook)]
        if let step = notification.step { facts.append(("Step", step)) }
        if let who = action.who { facts.append(("Who must act", who)) }
        for (key, value) in notification.fields.sorted(by: { $0.key < $1.key }) where key != "approvers" || action.who != value {
            facts.append((key, value))
        }

        var blocks: [[String: Any]] = [
            ["type": "header", "text": ["type": "plain_text", "text": clip(notification.title, headerLimit)]],
            ["type": "section", "text": mrkdwn(escape(notification.text))],
            [
                "type": "section",
                "fields": facts.prefix(fieldLimit).map { mrkdwn("*\(escape($0.0))*\n\(escape($0.1))") },
            ],
        ]
        if !action.commands.isEmpty {
            let verb = action.who == nil ? "To review" : "To act"
            let lines = action.commands.map { "`\(escape($0))`" }.joined(separator: "\n")
            blocks.append(["type": "section", "text": mrkdwn("*\(verb):*\n\(lines)")])
        }
        blocks.append([
            "type": "context",
            "elements": [mrkdwn("cutover · \(notification.kind.rawValue) · run \(escape(notification.runId))")],
        ])

        var cutover: [String: Any] = [
            "kind": notification.kind.rawValue, "runId": notification.runId, "runbook": notification.runbook,
            "title": notification.title, "text": notification.text, "fields": notification.fields,
            "commands": action.commands,
        ]
        if let step = notification.step { cutover["step"] = step }
        if let who = action.who { cutover["mustAct"] = who }

        var fallback = "\(notification.title) (run \(notification.runId))"
        if let first = action.commands.first { fallback += ": \(first)" }
        let payload: [String: Any] = ["text": clip(escape(fallback), textLimit), "blocks": blocks, "cutover": cutover]
        // Only strings, arrays and dictionaries go in, so serialisation cannot fail.
        return (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func mrkdwn(_ text: String) -> [String: Any] {
        ["type": "mrkdwn", "text": clip(text, textLimit)]
    }

    /// Slack's three control characters in message text.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
