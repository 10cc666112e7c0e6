import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// `SimForwarding`: calls to services the simulator does not implement are authenticated here,
/// then sent on unchanged to the forwarding target in the caller's account — checked against a
/// loopback HTTP server that records what arrives, through our own `AWSClient`.
@Suite("SimForwarding: the switch-over services handed on to moto")
struct SimForwardingTests {
    struct World {
        let simulator: Simulator
        let target: LoopbackHTTPServer
        let key: SimAccessKey

        init(
            reply: @escaping LoopbackHTTPServer.Handler = { _ in
                .text(
                    200, #"{"services":[],"failures":[]}"#,
                    headers: [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "moto-request-1")])
            }
        ) throws {
            target = try LoopbackHTTPServer(handler: reply)
            simulator = Simulator(
                configuration: SimConfiguration(region: "ap-northeast-1"), clock: VirtualClock(),
                forwarding: SimForwarding(port: target.port))
            try simulator.addAccount(id: "222222222222", name: "product")
            key = try simulator.addUser(account: "222222222222", name: "cutoverd")
        }

        func client(_ service: AWSService, secret: String? = nil) -> AWSClient {
            let clock = simulator.clock
            return AWSClient(
                service: service, region: "ap-northeast-1",
                credentials: StaticCredentialProvider(
                    AWSCredentials(accessKeyId: key.accessKeyId, secretAccessKey: secret ?? key.secretAccessKey)),
                transport: SimulatorTransport(simulator), retry: .init(maxAttempts: 1), account: key.account, now: { clock.now() },
                sleep: { _ in })
        }
    }

    struct DescribeServices: Encodable, Sendable {
        var cluster = "admin-console"
        var services = ["admin-console-web"]
    }

    @Test func anAuthenticatedCallArrivesUnchangedInTheCallersAccount() async throws {
        let world = try World()
        defer { world.target.stop() }
        let answer = try await world.client(.ecs).json(operation: "DescribeServices", input: DescribeServices())
        #expect(answer.status == 200)
        #expect(String(decoding: answer.body, as: UTF8.self).contains(#""failures":[]"#), "moto's answer comes back as it was")

        let arrived = try #require(world.target.requests.first)
        #expect(world.target.requests.count == 1)
        #expect(arrived.method == "POST" && arrived.path == "/")
        #expect(arrived.header("x-moto-account-id") == "222222222222")
        #expect(arrived.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.DescribeServices")
        #expect(arrived.header("Authorization")?.contains("/ecs/aws4_request") == true, "the caller's own signature travels on")
        #expect(String(decoding: arrived.body, as: UTF8.self).contains("admin-console-web"))

        let record = try #require(world.simulator.requestLog.last)
        #expect(record.service == "ecs" && record.operation == "DescribeServices" && record.account == "222222222222")
        #expect(record.status == 200 && !record.mutated)
    }

    @Test func aBadSignatureIsRefusedHereAndNeverForwarded() async throws {
        let world = try World()
        defer { world.target.stop() }
        await #expect(throws: AWSError.self) {
            _ = try await world.client(.ecs, secret: "not-the-secret").json(operation: "DescribeServices", input: DescribeServices())
        }
        #expect(world.target.requests.isEmpty)
        let record = try #require(world.simulator.requestLog.last)
        #expect(record.errorCode == "SignatureDoesNotMatch" && record.status == 403)
    }

    @Test func queryAndRESTOperationsAreNamedAndErrorsKeepTheirCodes() async throws {
        let world = try World { request in
            request.path.hasPrefix("/2013-04-01")
                ? .text(
                    404,
                    "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found</Message></Error><RequestId>r</RequestId></ErrorResponse>",
                    headers: [("Content-Type", "text/xml")])
                : .text(
                    200,
                    "<DeleteRuleResponse><DeleteRuleResult/><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteRuleResponse>",
                    headers: [("Content-Type", "text/xml")])
        }
        defer { world.target.stop() }
        _ = try await world.client(.elbv2).query(
            action: "DeleteRule",
            parameters: [("RuleArn", "arn:aws:elasticloadbalancing:ap-northeast-1:222222222222:listener-rule/app/x/1/2/3")])
        var record = try #require(world.simulator.requestLog.last)
        #expect(record.service == "elasticloadbalancing" && record.operation == "DeleteRule" && record.mutated)

        await #expect(throws: AWSError.self) {
            _ = try await Route53Client(client: world.client(.route53)).recordSet(zone: "ZNOSUCH", name: "admin.example.com", type: "A")
        }
        record = try #require(world.simulator.requestLog.last)
        #expect(
            record.operation == "ListResourceRecordSets" && record.errorCode == "NoSuchHostedZone" && record.status == 404
                && !record.mutated)
    }

    @Test func anUnreachableTargetIsA503InTheCallersProtocol() async throws {
        let world = try World()
        world.target.stop()
        let failure = await #expect(throws: AWSError.self) {
            _ = try await world.client(.ecs).json(operation: "DescribeServices", input: DescribeServices())
        }
        #expect(failure?.code == "ServiceUnavailable", "\(String(describing: failure))")
        let record = try #require(world.simulator.requestLog.last)
        #expect(record.status == 503 && record.errorCode == "ServiceUnavailable" && record.account == "222222222222")
    }

    @Test func theTargetMustBeOnThisMachine() throws {
        #expect(throws: SimForwardingError.self) { try SimForwarding(url: "http://10.0.0.5:5000") }
        #expect(throws: SimForwardingError.self) { try SimForwarding(url: "https://127.0.0.1:5000") }
        #expect(try SimForwarding(url: "http://localhost:5000").port == 5000)
        #expect(SimForwarding.route53Operation(method: "POST", path: "/2013-04-01/hostedzone/Z1/rrset") == "ChangeResourceRecordSets")
        #expect(SimForwarding.route53Operation(method: "GET", path: "/2013-04-01/change/C1") == "GetChange")
    }
}
