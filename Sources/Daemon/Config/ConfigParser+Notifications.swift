import Yams

extension ConfigParser {
    mutating func parseNotifications(_ node: Node, into notifications: inout DaemonConfig.Notifications) {
        let keys = ["webhooks", "sns", "windowWarning"]
        guard let entries = reader.section(node, "notifications", example: "notifications: { windowWarning: 30m }")
        else { return }
        for entry in entries {
            switch entry.key {
            case "webhooks":
                if let webhooks = parseTargets(entry.value, "notifications.webhooks", { $0.parseWebhook($1, $2) }) {
                    notifications.webhooks = webhooks
                }
            case "sns":
                if let topics = parseTargets(entry.value, "notifications.sns", { $0.parseSNSTarget($1, $2) }) { notifications.sns = topics }
            case "windowWarning":
                if let seconds = reader.duration(entry.value, "notifications.windowWarning") {
                    notifications.windowWarningSeconds = seconds
                }
            default: reader.unknownKey(entry, in: "notifications", allowed: keys)
            }
        }
    }

    /// A list of target mappings; nil when any of them has a problem.
    mutating func parseTargets<T>(
        _ node: Node, _ what: String, _ parse: (inout ConfigParser, Node, String) -> T?
    ) -> [T]? {
        if ConfigReader.isNull(node) { return [] }
        guard case .sequence(let items) = node else {
            reader.report(
                "wrong-type", "'\(what)' must be a list, not \(ConfigReader.describe(node))",
                hint: "start each item with '- '", at: node)
            return nil
        }
        var targets: [T] = []
        for (index, item) in items.enumerated() {
            if let target = parse(&self, item, "\(what)[\(index)]") { targets.append(target) }
        }
        return targets.count == items.count ? targets : nil
    }

    mutating func parseWebhook(_ node: Node, _ what: String) -> DaemonConfig.Webhook? {
        let keys = ["url", "events", "timeout"]
        guard let entries = reader.section(node, what, example: "- url: https://hooks.example.com/…") else { return nil }
        var url: String?
        var events: [String]?
        var timeout: Double?
        var ok = true
        for entry in entries {
            switch entry.key {
            case "url":
                url = reader.url(entry.value, "\(what).url", secret: true)
                ok = ok && url != nil
            case "events":
                events = parseEvents(entry.value, "\(what).events")
                ok = ok && events != nil
            case "timeout":
                timeout = reader.duration(entry.value, "\(what).timeout")
                ok = ok && timeout != nil
            default:
                reader.unknownKey(entry, in: what, allowed: keys)
                ok = false
            }
        }
        guard entries.contains(where: { $0.key == "url" }) else {
            reader.missingKey("url", in: what, at: node)
            return nil
        }
        guard ok, let url else { return nil }
        var webhook = DaemonConfig.Webhook(url: url)
        if let events { webhook.events = events }
        if let timeout { webhook.timeoutSeconds = timeout }
        return webhook
    }

    mutating func parseSNSTarget(_ node: Node, _ what: String) -> DaemonConfig.SNSTarget? {
        let keys = ["topicArn", "region", "events"]
        guard let entries = reader.section(node, what, example: "- topicArn: arn:aws:sns:eu-west-1:111111111111:cutover")
        else { return nil }
        var arn: String?
        var region: String??
        var events: [String]?
        var ok = true
        for entry in entries {
            switch entry.key {
            case "topicArn":
                arn = reader.text(entry.value, "\(what).topicArn")
                if let text = arn, SNSTopicARN(text) == nil {
                    reader.report(
                        "bad-value", "'\(what).topicArn' is not an SNS topic ARN: '\(text)'",
                        hint: "write arn:aws:sns:REGION:ACCOUNT:TOPIC", at: entry.value)
                    arn = nil
                }
                ok = ok && arn != nil
            case "region":
                region = reader.optionalText(entry.value, "\(what).region")
                if let text = region ?? nil, !SNSTopicARN.isRegion(text) {
                    reader.report(
                        "bad-value", "'\(what).region' is not an AWS region: '\(text)'", hint: "write e.g. eu-west-1", at: entry.value)
                    region = nil
                }
                ok = ok && region != nil
            case "events":
                events = parseEvents(entry.value, "\(what).events")
                ok = ok && events != nil
            default:
                reader.unknownKey(entry, in: what, allowed: keys)
                ok = false
            }
        }
        guard entries.contains(where: { $0.key == "topicArn" }) else {
            reader.missingKey("topicArn", in: what, at: node)
            return nil
        }
        guard ok, let arn else { return nil }
        var target = DaemonConfig.SNSTarget(topicArn: arn)
        if let region { target.region = region }
        if let events { target.events = events }
        return target
    }

    /// Event kinds (`approval-needed`, …); an empty list means every kind.
    mutating func parseEvents(_ node: Node, _ what: String) -> [String]? {
        guard let items = reader.strings(node, what) else { return nil }
        let kinds = CutoverNotification.Kind.allCases.map(\.rawValue)
        var ok = true
        for item in items where !kinds.contains(item.value) {
            reader.report(
                "bad-value", "'\(what)' has an unknown event '\(item.value)'",
                hint: ConfigHints.didYouMean(item.value, among: kinds, listing: "events"), at: item.node)
            ok = false
        }
        return ok ? items.map(\.value) : nil
    }
}
