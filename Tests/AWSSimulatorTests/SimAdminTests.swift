import AWSClient
import Foundation
import Testing

@testable import AWSSimulator

/// The admin API in process (`SimAdminAPI.respond`) and over HTTP, and faults end to end: a
/// signed request through the server, the pipeline and the injector.
@Suite("simulator admin API")
struct SimAdminTests {
    let transport = CurlTransport(proxy: ProxySettings())

    /// An admin call in process: status and the decoded JSON object.
    static func call(
        _ admin: SimAdminAPI, _ method: String, _ target: String, _ json: String? = nil
    ) throws -> (status: Int, body: [String: Any]) {
        let response = admin.respond(to: SimRequest(method: method, target: target, headers: [], body: Data((json ?? "").utf8)))
        #expect(response.header("Content-Type") == "application/json")
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        return (response.status, try #require(object, "not a JSON object: \(String(decoding: response.body, as: UTF8.self))"))
    }

    static func errorCode(_ body: [String: Any]) -> String? { (body["error"] as? [String: Any])?["code"] as? String }

    @Test func healthAnswersOK() throws {
        let admin = SimAdminAPI(simulator: Simulator(clock: VirtualClock()))
        let (status, body) = try Self.call(admin, "GET", "/_sim/health")
        #expect(status == 200)
        #expect(body["status"] as? String == "ok")
        #expect((body["routes"] as? [String])?.contains("POST /_sim/faults") == true)
    }

    @Test func scaledClockScaleAndAdvanceAreVisible() throws {
        let real = RealTimeStub()
        let clock = ScaledClock(scale: 1, start: Date(timeIntervalSince1970: 0), realNow: { real.now })
        let admin = SimAdminAPI(simulator: Simulator(clock: clock))
        var (status, body) = try Self.call(admin, "POST", "/_sim/clock", #"{"scale": 360}"#)
        #expect(status == 200)
        #expect(body["kind"] as? String == "scaled")
        #expect(body["scale"] as? Double == 360)
        real.advance(10)
        (status, body) = try Self.call(admin, "GET", "/_sim/clock")
        #expect(body["epochSeconds"] as? Double == 3600)
        #expect(body["now"] as? String == "1970-01-01T01:00:00Z")
        (status, body) = try Self.call(admin, "POST", "/_sim/clock", #"{"advanceSeconds": 86400}"#)
        #expect(body["epochSeconds"] as? Double == 90000)
        #expect(clock.now() == Date(timeIntervalSince1970: 90000))
        (status, body) = try Self.call(admin, "POST", "/_sim/clock", #"{"now": "2030-01-01T00:00:00Z"}"#)
        #expect(status == 409)
        #expect(Self.errorCode(body) == "ClockNotSettable")
    }

    @Test func virtualClockAdvancesButHasNoScale() throws {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 1000))
        let admin = SimAdminAPI(simulator: Simulator(clock: clock))
        var (status, body) = try Self.call(admin, "POST", "/_sim/clock", #"{"advanceSeconds": 3600}"#)
        #expect(status == 200)
        #expect(body["kind"] as? String == "virtual")
        #expect(clock.now() == Date(timeIntervalSince1970: 4600))
        (status, body) = try Self.call(admin, "POST", "/_sim/clock", #"{"scale": 2}"#)
        #expect(status == 409)
        #expect(Self.errorCode(body) == "ClockNotScalable")
        (status, body) = try Self.call(admin, "POST", "/_sim/clock", #"{"advanceSeconds": -1}"#)
        #expect(status == 400)
        (status, body) = try Self.call(admin, "POST", "/_sim/clock", #"{"now": "1970-01-02T00:00:00Z"}"#)
        #expect(status == 200)
        #expect(clock.now() == Date(timeIntervalSince1970: 86400))
    }

    @Test func requestLogIsJSONAndFilterable() throws {
        let simulator = Simulator(clock: VirtualClock(start: Date(timeIntervalSince1970: 0)))
        let admin = SimAdminAPI(simulator: simulator)
        _ = simulator.handle(SimRequest(method: "GET", path: "/"))  // anonymous
        let scoped = [
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIANOBODY0000000000/19700101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"
            )
        ]
        _ = simulator.handle(SimRequest(method: "GET", path: "/bucket/key", headers: scoped))

        var (status, body) = try Self.call(admin, "GET", "/_sim/requests")
        #expect(status == 200)
        #expect(body["count"] as? Int == 2)
        (status, body) = try Self.call(admin, "GET", "/_sim/requests?service=s3")
        let records = try #require(body["requests"] as? [[String: Any]])
        #expect(records.count == 1)
        #expect(records.first?["sequence"] as? Int == 2)
        #expect(records.first?["operation"] as? String == "GetObject")
        #expect(records.first?["time"] as? String == "1970-01-01T00:00:00Z")
        #expect(records.first?["injected"] as? Bool == false)

        // The JSON decodes back into the records the library API returns.
        let raw = admin.respond(to: SimRequest(method: "GET", target: "/_sim/requests?since=1", headers: [], body: Data()))
        struct Log: Decodable { var requests: [SimRequestRecord] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(Log.self, from: raw.body).requests == Array(simulator.requestLog.dropFirst()))

        (status, body) = try Self.call(admin, "GET", "/_sim/requests?operation=DeleteBucket&account=111111111111")
        #expect(body["count"] as? Int == 0)
        (status, body) = try Self.call(admin, "GET", "/_sim/requests?colour=blue")
        #expect(status == 400)
        #expect(Self.errorCode(body) == "InvalidFilter")
    }

    @Test func faultRulesAddListRemoveAndClear() throws {
        let simulator = Simulator(clock: VirtualClock())
        let admin = SimAdminAPI(simulator: simulator)
        var (status, body) = try Self.call(
            admin, "POST", "/_sim/faults", #"{"service":"s3","operation":"GetObject","effect":"latency","milliseconds":250,"every":2}"#)
        #expect(status == 201)
        #expect(body["id"] as? String == "rule-1")
        (status, body) = try Self.call(
            admin, "POST", "/_sim/faults", #"{"id":"drops","effect":"dropConnection","probability":0.5,"seed":3}"#)
        #expect(status == 201)
        #expect(
            simulator.faults.rules.map(\.rule) == [
                FaultRule(id: "rule-1", service: "s3", operation: "GetObject", effect: .latency(.milliseconds(250)), trigger: .every(2)),
                FaultRule(id: "drops", effect: .dropConnection, trigger: .probability(0.5), seed: 3),
            ])

        (status, body) = try Self.call(admin, "GET", "/_sim/faults")
        let rules = try #require(body["rules"] as? [[String: Any]])
        #expect(rules.count == 2)
        #expect(rules.first?["matched"] as? Int == 0)
        #expect((body["counters"] as? [String: Any])?["drops"] as? Int == 0)

        (status, body) = try Self.call(admin, "DELETE", "/_sim/faults/drops")
        #expect(status == 200)
        #expect(simulator.faults.rules.count == 1)
        (status, body) = try Self.call(admin, "DELETE", "/_sim/faults/drops")
        #expect(status == 404)
        (status, body) = try Self.call(admin, "DELETE", "/_sim/faults")
        #expect(simulator.faults.rules.isEmpty)

        (status, body) = try Self.call(admin, "POST", "/_sim/faults", #"{"effect":"internalError","probability":2}"#)
        #expect(status == 400)
        #expect(Self.errorCode(body) == "InvalidFaultRule")
        (status, body) = try Self.call(admin, "POST", "/_sim/faults", #"{"effect":"meteor"}"#)
        #expect(status == 400)
        #expect(Self.errorCode(body) == "MalformedJSON")
    }

    @Test func rateLimitTurnsOnWithDocumentedDefaultsAndOff() throws {
        let simulator = Simulator(clock: VirtualClock())
        let admin = SimAdminAPI(simulator: simulator)
        var (status, body) = try Self.call(admin, "GET", "/_sim/rate-limit")
        #expect(body["enabled"] as? Bool == false)
        (status, body) = try Self.call(admin, "POST", "/_sim/rate-limit", "{}")
        #expect(status == 200)
        #expect(simulator.faults.rateLimit == S3RateLimit(writesPerSecond: 3500, readsPerSecond: 5500))
        (status, body) = try Self.call(admin, "POST", "/_sim/rate-limit", #"{"writesPerSecond": 10}"#)
        #expect(body["writesPerSecond"] as? Double == 10)
        #expect(body["readsPerSecond"] as? Double == 5500)
        (status, body) = try Self.call(admin, "POST", "/_sim/rate-limit", #"{"enabled": false}"#)
        #expect(simulator.faults.rateLimit == nil)
        _ = try Self.call(admin, "POST", "/_sim/rate-limit", "{}")
        (status, body) = try Self.call(admin, "DELETE", "/_sim/rate-limit")
        #expect(body["enabled"] as? Bool == false)
        #expect(simulator.faults.rateLimit == nil)
    }

    @Test func seedCreatesAccountsUsersAndRoles() throws {
        let simulator = Simulator(clock: VirtualClock())
        let admin = SimAdminAPI(simulator: simulator)
        let world = """
            {"accounts": [
              {"id": "111111111111", "name": "legacy",
               "users": [{"name": "cutover", "accessKeyId": "AKIASEEDEDLEGACY0001", "secretAccessKey": "seededSecret0123456789012345678901234567"}],
               "roles": [{"name": "CutoverSource", "trustedPrincipals": ["222222222222"], "externalId": "ext"}]},
              {"id": "222222222222", "name": "product", "users": [{"name": "operator"}]}]}
            """
        var (status, body) = try Self.call(admin, "POST", "/_sim/seed", world)
        #expect(status == 200)
        #expect(body["accounts"] as? [String] == ["111111111111", "222222222222"])
        let keys = try #require(body["keys"] as? [[String: Any]])
        #expect(keys.map { $0["userName"] as? String } == ["cutover", "operator"])
        #expect(keys.first?["accessKeyId"] as? String == "AKIASEEDEDLEGACY0001")
        #expect((keys.last?["secretAccessKey"] as? String)?.isEmpty == false)
        #expect(body["roles"] as? [String] == ["arn:aws:iam::111111111111:role/CutoverSource"])
        #expect(simulator.accounts.map(\.name) == ["legacy", "product"])

        // Seeding the same account again is IAM's own error, with what was done before it.
        (status, body) = try Self.call(admin, "POST", "/_sim/seed", #"{"accounts":[{"id":"111111111111","name":"again"}]}"#)
        #expect(status >= 400 && status < 500)
    }

    @Test func seedTheDemoWorldAndReadItBack() throws {
        let simulator = Simulator(clock: VirtualClock())
        let admin = SimAdminAPI(simulator: simulator)
        let policy =
            #"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::legacy-data/*\"}]}"#
        let world = """
            {"accounts": [{"id": "111111111111", "name": "legacy", "users": [{"name": "cutover"}]},
                          {"id": "222222222222", "name": "product", "users": [{"name": "operator"}]}],
             "kms": {"keys": [{"account": "222222222222", "alias": "alias/cutover", "sharedWith": ["111111111111"]}]},
             "rds": {"networks": [{"account": "222222222222", "subnetGroups": {"product-db": "vpc-product"},
                                   "securityGroups": {"sg-0product": "vpc-product"}, "parameterGroups": ["mysql8-product"]}],
                     "instances": [{"account": "111111111111", "identifier": "legacy-mysql", "engine": "mysql"}]},
             "buckets": [{"name": "legacy-data", "account": "111111111111", "versioning": "Enabled", "policy": "\(policy)",
                          "generated": {"count": 25, "prefix": "data/", "size": 64, "versions": 2, "tags": {"tier": "gold"}}}]}
            """
        var (status, body) = try Self.call(admin, "POST", "/_sim/seed", world)
        #expect(status == 200, "\(body)")
        #expect(body["buckets"] as? [String] == ["legacy-data"])
        #expect((body["kmsKeys"] as? [String])?.first?.hasPrefix("arn:aws:kms:us-east-1:222222222222:key/") == true)
        #expect((body["dbInstances"] as? [String])?.count == 1)

        (status, body) = try Self.call(admin, "GET", "/_sim/state")
        #expect(status == 200)
        let accounts = try #require(body["accounts"] as? [[String: Any]])
        #expect(accounts.map { $0["name"] as? String } == ["legacy", "product"])
        let buckets = try #require(accounts.first?["buckets"] as? [[String: Any]])
        #expect(buckets.first?["name"] as? String == "legacy-data")
        #expect(buckets.first?["keys"] as? Int == 25)
        #expect(buckets.first?["versioning"] as? String == "Enabled")
        let instances = try #require(accounts.first?["dbInstances"] as? [[String: Any]])
        #expect(instances.first?["identifier"] as? String == "legacy-mysql")
        #expect(instances.first?["status"] as? String == "available")
        #expect((accounts.last?["kmsKeys"] as? [String])?.count == 1)
        #expect(simulator.objectVersions(bucket: "legacy-data", key: "data/00000").count == 2)

        // A rejected entry answers with the simulator's own error and what was seeded before it.
        (status, body) = try Self.call(admin, "POST", "/_sim/seed", #"{"buckets": [{"name": "legacy-data", "account": "222222222222"}]}"#)
        #expect((400..<500).contains(status))
        let message = ((body["error"] as? [String: Any])?["message"] as? String) ?? ""
        #expect(message.contains("seeded before the failure: 0 accounts"), "\(message)")
    }

    @Test func unknownRoutesWrongMethodsAndBadJSONAreExplained() throws {
        let admin = SimAdminAPI(simulator: Simulator(clock: VirtualClock()))
        #expect(try Self.call(admin, "GET", "/_sim/nothing").status == 404)
        #expect(try Self.call(admin, "PUT", "/_sim/clock").status == 405)
        #expect(try Self.call(admin, "HEAD", "/_sim/health").status == 200)
        let (status, body) = try Self.call(admin, "POST", "/_sim/clock", "{scale: 360")
        #expect(status == 400)
        #expect(Self.errorCode(body) == "MalformedJSON")
        #expect(admin.handles(SimRequest(method: "GET", path: "/_sim/health")))
        #expect(!admin.handles(SimRequest(method: "GET", path: "/_simulated-bucket/key")))
    }

    // MARK: - Over HTTP, through the pipeline

    @discardableResult
    static func withWorldServer<T>(_ body: (SimAuthWorld, SimulatorServer, String) async throws -> T) async throws -> T {
        let world = try SimAuthWorld()
        let server = SimulatorServer(simulator: world.simulator)
        try await server.start()
        let endpoint = try #require(server.endpoint)
        do {
            let result = try await body(world, server, endpoint)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// An S3 request signed as alice (path-style), as it goes on the wire to `endpoint`.
    static func signedS3(_ world: SimAuthWorld, _ method: String, _ path: String, endpoint: String) -> HTTPRequest {
        let signed = SimAuthWorld.signed(
            service: "s3", method: method, path: path, credentials: world.alice.credentials, date: world.clock.now())
        return HTTPRequest(method: method, url: endpoint + path, headers: HTTPHeaders(signed.headers))
    }

    func json(_ method: String, _ url: String, _ body: String = "") async throws -> (status: Int, body: [String: Any]) {
        let response = try await transport.send(HTTPRequest(method: method, url: url, body: Data(body.utf8)), timeout: .default)
        return (response.status, try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any]))
    }

    @Test func faultsInjectedOverHTTPReachTheClientAndTheLog() async throws {
        try await Self.withWorldServer { world, _, endpoint in
            let added = try await json(
                "POST", endpoint + "/_sim/faults",
                #"{"service":"s3","operation":"GetObject","effect":"internalError","from":2,"through":2}"#)
            #expect(added.status == 201)
            _ = try await json("POST", endpoint + "/_sim/faults", #"{"service":"s3","operation":"PutObject","effect":"dropConnection"}"#)

            let first = try await transport.send(Self.signedS3(world, "GET", "/legacy-data/a.txt", endpoint: endpoint), timeout: .default)
            #expect(first.status != 500)
            let second = try await transport.send(Self.signedS3(world, "GET", "/legacy-data/a.txt", endpoint: endpoint), timeout: .default)
            #expect(second.status == 500)
            #expect(String(decoding: second.body, as: UTF8.self).contains("InternalError"))
            do {
                _ = try await transport.send(Self.signedS3(world, "PUT", "/legacy-data/b.txt", endpoint: endpoint), timeout: .default)
                Issue.record("a dropped connection answered")
            } catch let error as TransportError {
                #expect(error.kind == .connectionReset)
            }

            // libcurl re-sends a request once when a reused keep-alive connection closes without
            // an answer (it takes it for a stale connection), so the PUT may arrive twice: as a
            // real client's would.
            let log = try await json("GET", endpoint + "/_sim/requests?service=s3&injected=true")
            let records = try #require(log.body["requests"] as? [[String: Any]])
            let operations = records.compactMap { $0["operation"] as? String }
            #expect(operations.first == "GetObject")
            #expect((2...3).contains(operations.count) && operations.dropFirst().allSatisfy { $0 == "PutObject" }, "\(operations)")
            #expect(records.first?["errorCode"] as? String == "InternalError")
            #expect(records.allSatisfy { $0["account"] as? String == SimAuthWorld.legacyAccount })

            let faults = try await json("GET", endpoint + "/_sim/faults")
            let counters = try #require(faults.body["counters"] as? [String: Any])
            #expect(counters["internalErrors"] as? Int == 1)
            #expect(counters["drops"] as? Int == operations.count - 1)
        }
    }

    @Test func rateLimitOverHTTPAnswersSlowDown() async throws {
        try await Self.withWorldServer { world, _, endpoint in
            // One request per thousand seconds: the second request on the prefix is over the
            // rate however slowly this machine runs the test.
            let set = try await json("POST", endpoint + "/_sim/rate-limit", #"{"writesPerSecond":0.001,"readsPerSecond":0.001}"#)
            #expect(set.body["enabled"] as? Bool == true)
            let first = try await transport.send(Self.signedS3(world, "GET", "/legacy-data/logs/a", endpoint: endpoint), timeout: .default)
            #expect(first.status != 503)
            let second = try await transport.send(Self.signedS3(world, "GET", "/legacy-data/logs/b", endpoint: endpoint), timeout: .default)
            #expect(second.status == 503)
            #expect(String(decoding: second.body, as: UTF8.self).contains("SlowDown"))
            let other = try await transport.send(Self.signedS3(world, "GET", "/legacy-data/data/a", endpoint: endpoint), timeout: .default)
            #expect(other.status != 503)

            _ = try await json("DELETE", endpoint + "/_sim/rate-limit")
            let after = try await transport.send(Self.signedS3(world, "GET", "/legacy-data/logs/c", endpoint: endpoint), timeout: .default)
            #expect(after.status != 503)
        }
    }

    @Test func clockChangesOverHTTPMoveTheSimulatorsTime() async throws {
        try await Self.withWorldServer { world, _, endpoint in
            let before = world.clock.now()
            let moved = try await json("POST", endpoint + "/_sim/clock", #"{"advanceSeconds": 7200}"#)
            #expect(moved.status == 200)
            #expect(world.clock.now() == before.addingTimeInterval(7200))
            let read = try await json("GET", endpoint + "/_sim/clock")
            #expect(read.body["epochSeconds"] as? Double == before.addingTimeInterval(7200).timeIntervalSince1970)
        }
    }
}
