import AWSClient
import Daemon
import Foundation
import TestSupport
import Testing

/// The notifier against real sockets: webhooks to `LoopbackHTTPServer`, SNS `Publish` signed by our
/// SigV4 to a loopback server and to moto.
@Suite struct NotificationTests {
    let lines = NotificationLogLines()
    let metrics = DaemonMetrics()

    func notifier(_ configuration: DaemonConfig.Notifications, sns: Notifier.SNSClientFactory? = nil, capacity: Int = 16) -> Notifier {
        var access = DaemonConfig.Access()
        access.approverGroups = ["cutover-approvers"]
        return Notifier(configuration: configuration, access: access, log: lines.log, metrics: metrics, sns: sns, capacity: capacity)
    }

    func webhooks(_ urls: String..., events: [[String]] = []) -> DaemonConfig.Notifications {
        var configuration = DaemonConfig.Notifications()
        configuration.webhooks = urls.enumerated().map { index, url in
            var webhook = DaemonConfig.Webhook(url: url)
            if index < events.count { webhook.events = events[index] }
            webhook.timeoutSeconds = 5
            return webhook
        }
        return configuration
    }

    @Test func webhookReceivesSlackCompatibleJSONWithWhoActsAndHow() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "ok") }
        defer { server.stop() }
        let notifier = notifier(webhooks(server.baseURL + "/services/T000/B000/XXXX"))
        await notifier.notify(.approval())
        #expect(await notifier.drain(timeout: .seconds(10)))

        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/services/T000/B000/XXXX")
        #expect(request.header("Content-Type")?.hasPrefix("application/json") == true)
        let body = try notificationJSON(request.body)

        let text = try #require(body["text"] as? String)
        #expect(text == "Approval needed: delete-source (run r-42): cutoverctl approve r-42 delete-source")

        let blocks = try #require(body["blocks"] as? [[String: Any]])
        #expect(blocks.first?["type"] as? String == "header")
        #expect((blocks.first?["text"] as? [String: Any])?["text"] as? String == "Approval needed: delete-source")
        let fieldTexts = blocks.compactMap { $0["fields"] as? [[String: Any]] }.flatMap { $0 }.compactMap { $0["text"] as? String }
        #expect(fieldTexts.contains("*Run*\nr-42"))
        #expect(fieldTexts.contains("*Runbook*\nadmin-console-cutover"))
        #expect(fieldTexts.contains("*Step*\ndelete-source"))
        #expect(fieldTexts.contains("*Who must act*\na member of cutover-approvers"))
        #expect(fieldTexts.contains("*account*\nlegacy (111111111111)"))
        let sectionTexts = blocks.compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
        #expect(sectionTexts.contains("*To act:*\n`cutoverctl approve r-42 delete-source`\n`cutoverctl reject r-42 delete-source`"))

        let cutover = try #require(body["cutover"] as? [String: Any])
        #expect(cutover["kind"] as? String == "approval-needed")
        #expect(cutover["runId"] as? String == "r-42")
        #expect(cutover["step"] as? String == "delete-source")
        #expect(cutover["mustAct"] as? String == "a member of cutover-approvers")
        #expect((cutover["commands"] as? [String])?.first == "cutoverctl approve r-42 delete-source")
        #expect((cutover["fields"] as? [String: String])?["irreversible"] == "yes")

        #expect(metrics.notificationCount(target: "webhook:127.0.0.1", outcome: "sent") == 1)
        #expect(metrics.render().contains("cutover_notifications_total{target=\"webhook:127.0.0.1\",outcome=\"sent\"} 1"))
    }

    @Test func failingWebhooksAreLoggedAndCountedNeverThrown() async throws {
        let failing = try LoopbackHTTPServer { _ in .text(500, "boom") }
        defer { failing.stop() }
        let refusing = try RefusingPort()
        let refusedURL = refusing.baseURL + "/services/SECRETPATH"

        let notifier = notifier(webhooks(failing.baseURL + "/services/SECRETPATH", refusedURL))
        #expect(await notifier.targetNames == ["webhook:127.0.0.1", "webhook:127.0.0.1#2"])
        await notifier.notify(.event(.stepFailed))
        #expect(await notifier.drain(timeout: .seconds(10)))

        #expect(metrics.notificationCount(target: "webhook:127.0.0.1", outcome: "failed") == 1)
        #expect(metrics.notificationCount(target: "webhook:127.0.0.1#2", outcome: "failed") == 1)
        let failures = lines.matching("notification not delivered")
        #expect(failures.count == 2)
        let http500 = try #require(failures.first { $0.contains("target=webhook:127.0.0.1 ") })
        #expect(http500.hasPrefix("<4>"))
        #expect(http500.contains("status=500"))
        #expect(http500.contains("kind=step-failed"))
        #expect(http500.contains("run=r-42"))
        #expect(http500.contains("boom"))
        let refused = try #require(failures.first { $0.contains("target=webhook:127.0.0.1#2") })
        #expect(refused.contains("status=none"))
        #expect(refused.contains("code=Transport.couldNotConnect"))
        #expect(!lines.all.joined().contains("SECRETPATH"))
        withExtendedLifetime(refusing) {}
    }

    @Test func targetsGetOnlyTheEventsTheyList() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "ok") }
        defer { server.stop() }
        let configuration = webhooks(
            server.baseURL + "/approvals", server.baseURL + "/all", server.baseURL + "/ends",
            events: [["approval-needed", "decision-needed"], [], ["run-finished", "window-ending"]])
        let notifier = notifier(configuration)
        for kind in [CutoverNotification.Kind.approvalNeeded, .stepFailed, .runFinished, .decisionNeeded] {
            await notifier.notify(.event(kind))
        }
        #expect(await notifier.drain(timeout: .seconds(10)))

        func kinds(_ path: String) throws -> [String] {
            try server.requests.filter { $0.path == path }
                .map { try notificationJSON($0.body)["cutover"] as? [String: Any] }
                .compactMap { $0?["kind"] as? String }.sorted()
        }
        #expect(try kinds("/approvals") == ["approval-needed", "decision-needed"])
        #expect(try kinds("/all") == ["approval-needed", "decision-needed", "run-finished", "step-failed"])
        #expect(try kinds("/ends") == ["run-finished"])
    }

    /// The gate stays shut while six notifications go in: if `notify` waited for a delivery it
    /// would never return (the time limit turns that into a failure), and nothing is delivered yet.
    @Test(.timeLimit(.minutes(1))) func notifyNeverWaitsForDeliveryAndAFullQueueDrops() async throws {
        let gate = NotificationGateTarget.Gate()
        let notifier = Notifier(targets: [NotificationGateTarget(gate: gate)], log: lines.log, metrics: metrics, capacity: 2)
        for index in 0..<6 { await notifier.notify(.event(.stepFailed, run: "r-\(index)")) }
        #expect(gate.delivered == 0)

        gate.open()
        #expect(await notifier.drain(timeout: .seconds(10)))
        let sent = metrics.notificationCount(target: "gate", outcome: "sent")
        let dropped = metrics.notificationCount(target: "gate", outcome: "dropped")
        #expect(sent + dropped == 6)
        #expect((2...3).contains(sent), "one in delivery at most, two queued")
        #expect(gate.delivered == sent)
        #expect(lines.matching("notification dropped").count == dropped)
        #expect(lines.matching("notification dropped").first?.contains("the notification queue is full") == true)

        // After drain nothing more is taken.
        await notifier.notify(.event(.runFinished))
        #expect(metrics.notificationCount(target: "gate", outcome: "dropped") == dropped + 1)
    }

    /// The gate never opens: drain must give up on its own (the time limit catches a drain that doesn't).
    @Test(.timeLimit(.minutes(1))) func drainGivesUpOnAStuckTarget() async {
        let gate = NotificationGateTarget.Gate()
        let notifier = Notifier(targets: [NotificationGateTarget(gate: gate)], log: lines.log, metrics: metrics)
        await notifier.notify(.event(.stepFailed))
        async let first = notifier.drain(timeout: .milliseconds(200))
        async let second = notifier.drain(timeout: .milliseconds(200))
        #expect(await [first, second] == [false, false])
        #expect(lines.matching("were cancelled").count == 1)
        gate.open()
    }

    @Test func reconfigureReplacesTheTargets() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "ok") }
        defer { server.stop() }
        let notifier = notifier(webhooks(server.baseURL + "/old"))
        await notifier.reconfigure(webhooks(server.baseURL + "/new", "https://hooks.slack.com/services/T/B/X"))
        #expect(await notifier.targetNames == ["webhook:127.0.0.1", "webhook:hooks.slack.com"])
        var onlyLocal = webhooks(server.baseURL + "/new")
        onlyLocal.webhooks[0].events = ["approval-needed"]
        await notifier.reconfigure(onlyLocal)
        await notifier.notify(.approval())
        await notifier.notify(.event(.runFinished))
        #expect(await notifier.drain(timeout: .seconds(10)))
        #expect(server.requests.map(\.path) == ["/new"])
    }

    @Test func snsPublishIsASignedQueryCall() async throws {
        let server = try LoopbackHTTPServer { _ in
            .text(
                200,
                """
                <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>
                  <ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata>
                </PublishResponse>
                """)
        }
        defer { server.stop() }
        var configuration = DaemonConfig.Notifications()
        configuration.sns = [DaemonConfig.SNSTarget(topicArn: "arn:aws:sns:eu-west-1:111111111111:cutover-oncall")]
        let credentials = StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"))
        let notifier = notifier(
            configuration,
            sns: { topic in
                SNSNotificationTarget.client(for: topic, credentials: credentials, endpoints: EndpointResolver(overrideURL: server.baseURL))
            })
        #expect(await notifier.targetNames == ["sns:cutover-oncall"])
        await notifier.notify(.approval())
        #expect(await notifier.drain(timeout: .seconds(10)))

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.header("Authorization")?.contains("Credential=AKIDEXAMPLE/") == true)
        #expect(request.header("Authorization")?.contains("/eu-west-1/sns/aws4_request") == true)
        let form = notificationForm(request.body)
        #expect(form["Action"] == "Publish")
        #expect(form["Version"] == "2010-03-31")
        #expect(form["TopicArn"] == "arn:aws:sns:eu-west-1:111111111111:cutover-oncall")
        #expect(form["Subject"] == "Approval needed: delete-source")
        let message = try #require(form["Message"])
        #expect(message.contains("Run: r-42"))
        #expect(message.contains("Who must act: a member of cutover-approvers"))
        #expect(message.contains("  cutoverctl approve r-42 delete-source"))
        #expect(form["MessageAttributes.entry.1.Value.StringValue"] == "approval-needed")
        #expect(metrics.notificationCount(target: "sns:cutover-oncall", outcome: "sent") == 1)
    }

    @Test func snsRefusalIsLoggedWithStatusCodeAndRequestId() async throws {
        let server = try LoopbackHTTPServer { _ in
            .text(
                403,
                """
                <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>not authorized to perform SNS:Publish</Message></Error>
                  <RequestId>req-403</RequestId>
                </ErrorResponse>
                """)
        }
        defer { server.stop() }
        var topic = DaemonConfig.SNSTarget(topicArn: "arn:aws:sns:eu-west-1:111111111111:cutover-oncall")
        topic.events = ["step-failed"]
        let target = SNSNotificationTarget(
            topic, name: "sns:cutover-oncall",
            client: SNSNotificationTarget.client(
                for: topic, credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "AKID", secretAccessKey: "secret")),
                endpoints: EndpointResolver(overrideURL: server.baseURL)))
        let notifier = Notifier(targets: [target], log: lines.log, metrics: metrics)
        await notifier.notify(.approval())  // not wanted: never sent
        await notifier.notify(.event(.stepFailed))
        #expect(await notifier.drain(timeout: .seconds(10)))
        #expect(server.requests.count == 1)
        #expect(metrics.notificationCount(target: "sns:cutover-oncall", outcome: "failed") == 1)
        let line = try #require(lines.matching("notification not delivered").first)
        #expect(line.contains("status=403"))
        #expect(line.contains("code=AuthorizationError"))
        #expect(line.contains("request_id=req-403"))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CUTOVER_MOTO_FIXTURE"] != nil, "needs moto (scripts/test starts it)"))
    func snsPublishAgainstMoto() async throws {
        let moto = try MotoFixture.load()
        let sns = moto.clientA(SNSNotificationTarget.service)
        let sqs = moto.clientA(NotificationMoto.sqs)
        let name = MotoFixture.uniqueName("cutover-notify")
        let topicArn = try #require(try await sns.query(action: "CreateTopic", parameters: [("Name", name)]).result.string("TopicArn"))
        let queueURL = try #require(try await sqs.query(action: "CreateQueue", parameters: [("QueueName", name)]).result.string("QueueUrl"))
        let attributes = try await sqs.query(
            action: "GetQueueAttributes", parameters: [("QueueUrl", queueURL), ("AttributeName.1", "QueueArn")])
        let queueArn = try #require(attributes.result.children("Attribute").first { $0.string("Name") == "QueueArn" }?.string("Value"))
        _ = try await sns.query(
            action: "Subscribe",
            parameters: [
                ("TopicArn", topicArn), ("Protocol", "sqs"), ("Endpoint", queueArn), ("Attributes.entry.1.key", "RawMessageDelivery"),
                ("Attributes.entry.1.value", "false"),
            ])

        var configuration = DaemonConfig.Notifications()
        configuration.sns = [DaemonConfig.SNSTarget(topicArn: topicArn)]
        let credentials = StaticCredentialProvider(moto.credentialsA)
        let notifier = notifier(
            configuration,
            sns: { topic in
                try? CredentialSourceFactory.snsClient(
                    topic: topic, base: credentials, endpoints: EndpointResolver(overrideURL: moto.endpoint))
            })
        await notifier.notify(.approval())
        #expect(await notifier.drain(timeout: .seconds(30)))
        #expect(metrics.notificationCount(target: "sns:\(name)", outcome: "sent") == 1, "\(lines.all)")

        let received = try await sqs.query(
            action: "ReceiveMessage", parameters: [("QueueUrl", queueURL), ("MaxNumberOfMessages", "1"), ("WaitTimeSeconds", "1")])
        let body = try #require(received.result.children("Message").first?.string("Body"))
        let envelope = try notificationJSON(Data(body.utf8))
        #expect(envelope["Subject"] as? String == "Approval needed: delete-source")
        #expect((envelope["Message"] as? String)?.contains("cutoverctl approve r-42 delete-source") == true)
        #expect(envelope["TopicArn"] as? String == topicArn)
    }
}

enum NotificationMoto {
    /// SQS over the Query protocol (which moto still serves), only to read back what SNS delivered.
    static let sqs = AWSService(signingName: "sqs", endpointPrefix: "sqs", serviceId: "SQS", wireProtocol: .query(apiVersion: "2012-11-05"))
}
