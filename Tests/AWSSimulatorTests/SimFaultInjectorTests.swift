import Foundation
import Testing

@testable import AWSSimulator

@Suite("fault injection")
struct SimFaultInjectorTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func request(_ method: String = "GET", _ path: String = "/bucket/key", body: Data = Data()) -> SimRequest {
        SimRequest(method: method, path: path, body: body)
    }

    static func firingSequence(seed: UInt64, count: Int = 200) throws -> [Bool] {
        let injector = FaultInjector(seed: seed)
        try injector.addRule(FaultRule(service: "s3", operation: "GetObject", effect: .internalError, trigger: .probability(0.3)))
        return (0..<count).map { _ in injector.decide(request: request(), service: "s3", operation: "GetObject", realNow: t0) != nil }
    }

    @Test func probabilityDrawsReproduceFromTheSeed() throws {
        let first = try Self.firingSequence(seed: 42)
        let again = try Self.firingSequence(seed: 42)
        let other = try Self.firingSequence(seed: 43)
        #expect(first == again)
        #expect(first != other)
        let rate = Double(first.filter { $0 }.count) / Double(first.count)
        #expect((0.15...0.45).contains(rate), "a 30% rule fired \(rate * 100)% of 200 times")
    }

    @Test func scheduleFiresOnTheNthThroughMthMatchingRequests() throws {
        let injector = FaultInjector(seed: 1)
        try injector.addRule(FaultRule(service: "s3", operation: "GetObject", effect: .internalError, trigger: .requests(3...5)))
        var fired: [Int] = []
        for n in 1...8 {
            // Requests the rule does not match are not counted.
            _ = injector.decide(request: Self.request("PUT"), service: "s3", operation: "PutObject", realNow: Self.t0)
            if injector.decide(request: Self.request(), service: "s3", operation: "GetObject", realNow: Self.t0)?.error != nil {
                fired.append(n)
            }
        }
        #expect(fired == [3, 4, 5])
    }

    @Test func everyKthMatchingRequestFires() throws {
        let injector = FaultInjector(seed: 1)
        try injector.addRule(FaultRule(effect: .throttling, trigger: .every(4)))
        let fired = (1...12).filter { _ in
            injector.decide(request: Self.request(), service: "s3", operation: "GetObject", realNow: Self.t0) != nil
        }
        #expect(fired == [4, 8, 12])
    }

    @Test func rulesMatchServiceOperationAndResourcePrefix() throws {
        let injector = FaultInjector(seed: 1)
        try injector.addRule(FaultRule(service: "s3", operation: "GetObject", resourcePrefix: "legacy/logs/", effect: .dropConnection))
        func decide(_ path: String, _ service: String, _ operation: String) -> FaultDecision? {
            injector.decide(request: Self.request("GET", path), service: service, operation: operation, realNow: Self.t0)
        }
        #expect(decide("/legacy/logs/2024/a.gz", "s3", "GetObject")?.network == .dropConnection)
        #expect(decide("/legacy/logs%2Fb.gz", "s3", "GetObject")?.network == .dropConnection)  // percent-decoded
        #expect(decide("/legacy/data/a", "s3", "GetObject") == nil)
        #expect(decide("/legacy/logs/a", "s3", "PutObject") == nil)
        #expect(decide("/legacy/logs/a", "kms", "GetObject") == nil)

        injector.clearRules()
        try injector.addRule(FaultRule(service: "*", operation: "*", effect: .internalError))
        #expect(decide("/", "rds", "DescribeDBInstances")?.error?.code == "InternalFailure")
    }

    @Test func queryAndJSONResourcesMatchByIdentifier() throws {
        let injector = FaultInjector(seed: 1)
        try injector.addRule(FaultRule(service: "rds", resourcePrefix: "legacy-db", effect: .throttling))
        try injector.addRule(FaultRule(service: "kms", resourcePrefix: "alias/cutover", effect: .throttling))
        let rds = SimRequest(
            method: "POST", path: "/",
            body: Data("Action=CopyDBSnapshot&SourceDBSnapshotIdentifier=legacy-db-snap1&TargetDBSnapshotIdentifier=x".utf8))
        let kms = SimRequest(method: "POST", path: "/", body: Data(#"{"KeyId":"alias/cutover-key"}"#.utf8))
        let other = SimRequest(method: "POST", path: "/", body: Data("Action=DescribeDBInstances&DBInstanceIdentifier=product-db".utf8))
        #expect(injector.decide(request: rds, service: "rds", operation: "CopyDBSnapshot", realNow: Self.t0)?.error?.code == "Throttling")
        #expect(
            injector.decide(request: kms, service: "kms", operation: "DescribeKey", realNow: Self.t0)?.error?.code == "ThrottlingException")
        #expect(injector.decide(request: other, service: "rds", operation: "DescribeDBInstances", realNow: Self.t0) == nil)
    }

    @Test func errorsAreEachServicesOwn() throws {
        let injector = FaultInjector(seed: 1)
        try injector.addRule(FaultRule(effect: .throttling, trigger: .every(2)))
        try injector.addRule(FaultRule(effect: .internalError))
        func error(_ service: String) -> SimError? {
            injector.decide(request: Self.request(), service: service, operation: "Op", realNow: Self.t0)?.error
        }
        // Odd requests: the throttling rule does not fire, the internal-error rule does.
        #expect(error("s3") == InjectedError.internalError(service: "s3"))
        #expect(error("s3")?.code == "SlowDown")
        #expect(error("s3")?.status == 500)
        #expect(error("s3")?.status == 503)
        #expect(error("rds").map { "\($0.code) \($0.status)" } == "InternalFailure 500")
        #expect(error("sts").map { "\($0.code) \($0.status)" } == "Throttling 400")
        #expect(error("kms").map { "\($0.code) \($0.status)" } == "KMSInternalException 500")
        #expect(error("kms").map { "\($0.code) \($0.status)" } == "ThrottlingException 400")
        #expect(InjectedError.slowDown.message == "Please reduce your request rate.")
    }

    @Test func latencyAddsUpAndCombinesWithTheFirstFiringFault() throws {
        let injector = FaultInjector(seed: 1)
        try injector.addRule(FaultRule(effect: .latency(.milliseconds(200))))
        try injector.addRule(FaultRule(effect: .resetAfter(bodyBytes: 10), trigger: .every(2)))
        try injector.addRule(FaultRule(effect: .internalError, trigger: .every(2)))
        try injector.addRule(FaultRule(effect: .latency(.milliseconds(50))))
        let first = injector.decide(request: Self.request(), service: "s3", operation: "GetObject", realNow: Self.t0)
        #expect(first == FaultDecision(delay: .milliseconds(250)))
        let second = injector.decide(request: Self.request(), service: "s3", operation: "GetObject", realNow: Self.t0)
        #expect(second == FaultDecision(delay: .milliseconds(250), network: .resetAfter(bodyBytes: 10)))
        let statuses = injector.rules.map { "\($0.rule.id ?? "") \($0.matched)/\($0.injected)" }
        #expect(statuses == ["rule-1 2/2", "rule-2 2/1", "rule-3 2/0", "rule-4 2/2"])
    }

    @Test func countersTotalWhatWasInjectedAndSurviveClearingRules() throws {
        let injector = FaultInjector(seed: 1)
        try injector.addRule(FaultRule(operation: "GetObject", effect: .internalError, trigger: .requests(1...2)))
        try injector.addRule(FaultRule(operation: "PutObject", effect: .dropConnection))
        try injector.addRule(FaultRule(operation: "HeadObject", effect: .latency(.milliseconds(1))))
        for operation in ["GetObject", "GetObject", "GetObject", "PutObject", "HeadObject"] {
            _ = injector.decide(request: Self.request(), service: "s3", operation: operation, realNow: Self.t0)
        }
        injector.clearRules()
        #expect(injector.rules.isEmpty)
        var expected = FaultCounters()
        expected.internalErrors = 2
        expected.drops = 1
        expected.delayed = 1
        #expect(injector.counters == expected)
        #expect(injector.counters.total == 4)
        injector.resetCounters()
        #expect(injector.counters == FaultCounters())
    }

    @Test func unusableRulesAreRefusedWithTheReason() throws {
        let injector = FaultInjector(seed: 1)
        #expect(throws: FaultRuleError.self) { try injector.addRule(FaultRule(effect: .internalError, trigger: .probability(1.5))) }
        #expect(throws: FaultRuleError.self) { try injector.addRule(FaultRule(effect: .internalError, trigger: .every(0))) }
        try injector.addRule(FaultRule(id: "mine", effect: .internalError))
        #expect(throws: FaultRuleError("a rule with id \"mine\" already exists; remove it first or choose another id")) {
            try injector.addRule(FaultRule(id: "mine", effect: .throttling))
        }
        #expect(injector.removeRule(id: "mine"))
        #expect(!injector.removeRule(id: "mine"))
    }

    @Test func ruleJSONRoundTrips() throws {
        let json =
            #"{"service":"s3","operation":"GetObject","resourcePrefix":"b/logs/","effect":"resetAfter","bodyBytes":100,"from":3,"through":5}"#
        let rule = try JSONDecoder().decode(FaultRule.self, from: Data(json.utf8))
        #expect(
            rule
                == FaultRule(
                    service: "s3", operation: "GetObject", resourcePrefix: "b/logs/", effect: .resetAfter(bodyBytes: 100),
                    trigger: .requests(3...5)))
        let rules = [
            rule,
            FaultRule(effect: .latency(.milliseconds(250)), trigger: .probability(0.5), seed: 9),
            FaultRule(effect: .error(SimError("AccessDenied", "no", status: 403)), trigger: .every(3)),
            FaultRule(effect: .throttling, trigger: .requests(2...Int.max)),
        ]
        for original in rules {
            let decoded = try JSONDecoder().decode(FaultRule.self, from: try JSONEncoder().encode(original))
            #expect(decoded == original)
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FaultRule.self, from: Data(#"{"effect":"explode"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(FaultRule.self, from: Data(#"{"effect":"throttling","every":2,"probability":0.5}"#.utf8))
        }
    }
}

@Suite("S3 per-prefix request-rate limit")
struct SimFaultRateLimitTests {
    static let t0 = SimFaultInjectorTests.t0

    static func decide(_ injector: FaultInjector, _ method: String, _ path: String, at offset: TimeInterval) -> FaultDecision? {
        injector.decide(
            request: SimRequest(method: method, path: path), service: "s3", operation: "Op", realNow: t0.addingTimeInterval(offset))
    }

    @Test func offByDefault() {
        let injector = FaultInjector(seed: 1)
        #expect(injector.rateLimit == nil)
        #expect((0..<10_000).allSatisfy { _ in Self.decide(injector, "PUT", "/b/k", at: 0) == nil })
    }

    @Test func slowDownAboveThePrefixRateAndRecoveryAfter() {
        let injector = FaultInjector(seed: 1)
        injector.setRateLimit(S3RateLimit(writesPerSecond: 10, readsPerSecond: 20))
        let admitted = (0..<15).filter { _ in Self.decide(injector, "PUT", "/b/logs/a", at: 0) == nil }.count
        #expect(admitted == 10)
        let refused = Self.decide(injector, "DELETE", "/b/logs/zzz", at: 0)  // same prefix "logs/"
        #expect(refused?.error == SimError("SlowDown", "Please reduce your request rate.", status: 503))

        // Other partitions have their own buckets: another prefix, reads, another bucket.
        #expect(Self.decide(injector, "PUT", "/b/data/a", at: 0) == nil)
        #expect(Self.decide(injector, "GET", "/b/logs/a", at: 0) == nil)
        #expect(Self.decide(injector, "PUT", "/other/logs/a", at: 0) == nil)

        // 0.15 s refills one and a half write tokens; a full second refills all ten.
        #expect(Self.decide(injector, "PUT", "/b/logs/a", at: 0.15) == nil)
        #expect(Self.decide(injector, "PUT", "/b/logs/a", at: 0.15) != nil)
        let later = (0..<15).filter { _ in Self.decide(injector, "PUT", "/b/logs/a", at: 5) == nil }.count
        #expect(later == 10)
        #expect(injector.counters.rateLimited == 5 + 1 + 1 + 5)
    }

    @Test func prefixIsTheKeyUpToItsLastSlash() {
        let injector = FaultInjector(seed: 1)
        injector.setRateLimit(S3RateLimit(writesPerSecond: 1, readsPerSecond: 1))
        #expect(Self.decide(injector, "PUT", "/b/a/b/one", at: 0) == nil)
        #expect(Self.decide(injector, "PUT", "/b/a/b/two", at: 0) != nil)  // same "a/b/"
        #expect(Self.decide(injector, "PUT", "/b/a/three", at: 0) == nil)  // "a/"
        #expect(Self.decide(injector, "PUT", "/b/top", at: 0) == nil)  // ""
        #expect(Self.decide(injector, "PUT", "/b", at: 0) != nil)  // bucket-level requests share ""
        // Virtual-host addressing names the bucket in Host.
        let virtual = SimRequest(method: "PUT", path: "/a/b/three", headers: [("Host", "b.s3.us-east-1.amazonaws.com")])
        #expect(injector.decide(request: virtual, service: "s3", operation: "PutObject", realNow: Self.t0)?.error?.code == "SlowDown")
    }

    @Test func onlyS3IsLimitedAndTurningItOffAdmitsEverything() {
        let injector = FaultInjector(seed: 1)
        injector.setRateLimit(S3RateLimit(writesPerSecond: 1, readsPerSecond: 1))
        let rds = SimRequest(method: "POST", path: "/")
        #expect((0..<5).allSatisfy { _ in injector.decide(request: rds, service: "rds", operation: "X", realNow: Self.t0) == nil })
        _ = Self.decide(injector, "GET", "/b/k", at: 0)
        #expect(Self.decide(injector, "GET", "/b/k", at: 0) != nil)
        injector.setRateLimit(nil)
        #expect(Self.decide(injector, "GET", "/b/k", at: 0) == nil)
    }

    @Test func aRuleThatAlreadyFailedTheRequestWinsOverSlowDown() throws {
        let injector = FaultInjector(seed: 1)
        injector.setRateLimit(S3RateLimit(writesPerSecond: 1, readsPerSecond: 1))
        try injector.addRule(FaultRule(effect: .internalError, trigger: .requests(2...2)))
        #expect(Self.decide(injector, "GET", "/b/k", at: 0) == nil)
        #expect(Self.decide(injector, "GET", "/b/k", at: 0)?.error?.code == "InternalError")
        #expect(Self.decide(injector, "GET", "/b/k", at: 0)?.error?.code == "SlowDown")
    }
}
