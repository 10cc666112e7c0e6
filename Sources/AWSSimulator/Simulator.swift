import Foundation
import Synchronization

/// The AWS stand-in: S3, RDS, STS and KMS as a cutover needs them, faithful where moto is not
/// (bucket-name hold, cross-account snapshot copy, RDS state timing, throttling, owner checks),
/// and the EC2 security-group lookup the RDS preflight makes.
///
/// `handle(_:)` is the whole simulator as a function from request to response; the HTTP server
/// (`SimulatorServer`) and in-process tests both call it. Every call goes through the same
/// pipeline: identify the service from the credential scope → name the operation → verify the
/// SigV4 signature against the simulator's own credentials → maybe inject a fault → perform the
/// operation under the world lock → record it in the request log.
public final class Simulator: Sendable {
    public let configuration: SimConfiguration
    public let clock: any SimClock
    public let faults: FaultInjector
    let services: [String: any SimService]
    let world: Mutex<SimState>
    /// Services handed on to another stand-in (moto) after authentication; nil: none.
    public let forwarding: SimForwarding?
    private let log = Mutex(RequestLog())

    private struct RequestLog {
        var records: [SimRequestRecord] = []
        var served = 0
    }
    private let random: Mutex<SimRandom>

    public init(configuration: SimConfiguration = SimConfiguration(), clock: any SimClock = ScaledClock(), forwarding: SimForwarding? = nil)
    {
        self.configuration = configuration
        self.forwarding = forwarding
        self.clock = clock
        self.faults = FaultInjector(seed: configuration.seed)
        self.random = Mutex(SimRandom(seed: configuration.seed ^ 0x5EED))
        self.world = Mutex(SimState())
        let all: [any SimService] = [
            S3Service(), RDSService(), STSService(), KMSService(), EC2Service(),
            ELBv2Service(), ECSSimService(), Route53SimService(), SecretsManagerSimService(), SSMSimService(), CloudWatchSimService(),
        ]
        self.services = Dictionary(uniqueKeysWithValues: all.map { ($0.signingName, $0) })
    }

    /// Serves one request.
    public func handle(_ request: SimRequest) -> SimResponse {
        let requestId = random.withLock { $0.requestId() }
        let now = clock.now()
        var record = SimRequestRecord(
            sequence: 0, time: now, service: "unknown", operation: "unknown", account: nil, principalArn: nil,
            resource: nil, status: 0, errorCode: nil, requestId: requestId, mutated: false, injected: false)

        // A forwarded service goes to the forwarding target even when the simulator models it too.
        if let scope = SimAuthenticator.scope(of: request), let forwarding, forwarding.services.contains(scope.service) {
            return forward(request, service: scope.service, to: forwarding, requestId: requestId, now: now, record: &record)
        }
        guard let scope = SimAuthenticator.scope(of: request), let service = services[scope.service].map({ Self.route(request, $0) }) else {
            let error = SimError(
                "AccessDenied", "Anonymous or unrecognised requests are not accepted by this simulator; sign with SigV4.", status: 403)
            return finish(S3Service().render(error, requestId: requestId), error: error, record: &record)
        }
        record.service = service.signingName
        guard let operation = service.operation(of: request) else {
            let error = SimError(
                "NotImplemented",
                "The simulator does not implement this \(service.signingName) request (\(request.method) \(request.path)).", status: 501)
            return finish(service.render(error, requestId: requestId), error: error, record: &record)
        }
        record.operation = operation

        let principal: SimPrincipal
        // Signature work (SHA-256, HMAC) happens outside the world lock on a copy-on-write
        // snapshot of the identities, so concurrent requests do not queue behind it.
        let identities = world.withLock { $0.iam }
        // The signing time is judged by whichever clock signed it; the session by the clock that issued it.
        let signedAgainst = Self.signingReference(request, simulated: now, wall: clock.realNow())
        switch SimAuthenticator.authenticate(request, iam: identities, now: signedAgainst, sessionNow: now) {
        case .success(let p): principal = p
        case .failure(let error): return finish(service.render(error, requestId: requestId), error: error, record: &record)
        }
        record.account = principal.account
        record.principalArn = principal.arn

        let fault = faults.decide(request: request, service: service.signingName, operation: operation, realNow: clock.realNow())
        if let injected = fault?.error {
            record.injected = true
            var response = service.render(injected, requestId: requestId)
            response.delay = fault?.delay
            return finish(response, error: injected, record: &record)
        }

        var context = SimCallContext(
            principal: principal, now: now, requestId: requestId, region: scope.region, configuration: configuration)
        var (response, thrown) = world.withLock { state in
            Self.perform(service, request, operation: operation, context: &context, state: &state)
        }
        record.resource = context.resource
        record.mutated = context.mutated
        if let fault {
            response.delay = fault.delay
            response.network = fault.network
            record.injected = fault.network != nil
        }
        return finish(response, error: thrown, record: &record)
    }

    /// The clock a request's signature is judged by. Real clients sign with the wall clock while
    /// the simulated clock may run 360× faster or be moved hours ahead; in-process tests sign with
    /// the virtual clock. Each request's signing time is judged (skew, presign expiry) by
    /// whichever of the two is nearer to its own `X-Amz-Date`, so both kinds of caller work and a
    /// request far from both is still refused. Session expiry is not judged here: sessions are
    /// issued in simulated time and judged by it alone.
    static func signingReference(_ request: SimRequest, simulated: Date, wall: Date) -> Date {
        guard let stamp = request.header("X-Amz-Date") ?? request.query("X-Amz-Date"), let signed = parseAmzDate(stamp) else {
            return simulated
        }
        return abs(signed.timeIntervalSince(wall)) < abs(signed.timeIntervalSince(simulated)) ? wall : simulated
    }

    /// `yyyyMMdd'T'HHmmss'Z'` without a formatter (this runs for every request).
    static func parseAmzDate(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11), let mi = num(11..<13),
            let sec = num(13..<15),
            (1...12).contains(mo), (1...31).contains(d)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm), UTC.
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + h * 3600 + mi * 60 + sec))
    }

    private static func perform(
        _ service: any SimService, _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) -> (SimResponse, SimError?) {
        // Batch Operations jobs copy as simulated time passes, seen by every caller, not only by
        // the next S3 Control call of the job's account.
        state.settleEveryBatchJob(now: context.now)
        do throws(SimError) {
            return (try service.handle(request, operation: operation, context: &context, state: &state), nil)
        } catch {
            return (service.render(error, requestId: context.requestId), error)
        }
    }

    /// A call to a forwarded service: authenticated and fault-injected like any other, then sent
    /// to the forwarding target as received, in the caller's account (`x-moto-account-id`).
    private func forward(
        _ request: SimRequest, service: String, to forwarding: SimForwarding, requestId: String, now: Date, record: inout SimRequestRecord
    ) -> SimResponse {
        record.service = service
        let operation = SimForwarding.operation(of: request)
        record.operation = operation
        let identities = world.withLock { $0.iam }
        let signedAgainst = Self.signingReference(request, simulated: now, wall: clock.realNow())
        let principal: SimPrincipal
        switch SimAuthenticator.authenticate(request, iam: identities, now: signedAgainst, sessionNow: now) {
        case .success(let p): principal = p
        case .failure(let error):
            return finish(SimForwarding.errorResponse(error, for: request, requestId: requestId), error: error, record: &record)
        }
        record.account = principal.account
        record.principalArn = principal.arn
        if let fault = faults.decide(request: request, service: service, operation: operation, realNow: clock.realNow()),
            let injected = fault.error
        {
            record.injected = true
            var response = SimForwarding.errorResponse(injected, for: request, requestId: requestId)
            response.delay = fault.delay
            return finish(response, error: injected, record: &record)
        }
        let skipped: Set<String> = ["host", "content-length", "connection", "expect", "transfer-encoding", "x-moto-account-id"]
        var headers = request.headers.filter { !skipped.contains($0.name.lowercased()) }
        headers.append(("Host", "\(forwarding.host):\(forwarding.port)"))
        headers.append(("x-moto-account-id", principal.account))
        let target = request.rawQuery.isEmpty ? request.path : "\(request.path)?\(request.rawQuery)"
        do throws(SimForwardingError) {
            let answer = try SimLoopbackHTTP.exchange(
                port: forwarding.port, method: request.method, target: target, headers: headers, body: request.body)
            record.mutated = (200..<300).contains(answer.status) && SimForwarding.mayMutate(request, operation: operation)
            let dropped: Set<String> = ["connection", "content-length", "date", "server"]
            var response = SimResponse(
                status: answer.status, headers: answer.headers.filter { !dropped.contains($0.name.lowercased()) }, body: answer.body)
            if response.header("x-amzn-RequestId") == nil && response.header("x-amz-request-id") == nil {
                response.headers.append(("x-amzn-RequestId", requestId))
            }
            let code = answer.status >= 300 ? SimForwarding.errorCode(response) : nil
            return finish(response, error: code.map { SimError($0, "forwarded", status: answer.status) }, record: &record)
        } catch {
            let failure = SimError(
                "ServiceUnavailable", "The simulator forwards \(service) to 127.0.0.1:\(forwarding.port), which did not answer: \(error)",
                status: 503)
            return finish(SimForwarding.errorResponse(failure, for: request, requestId: requestId), error: failure, record: &record)
        }
    }

    private func finish(_ response: SimResponse, error: SimError?, record: inout SimRequestRecord) -> SimResponse {
        record.status = response.status
        record.errorCode = error?.code
        let done = record
        let limit = configuration.requestLogLimit
        log.withLock { log in
            log.served += 1
            var entry = done
            entry.sequence = log.served
            log.records.append(entry)
            // Drop the oldest tenth at once rather than one record per request.
            if log.records.count > limit { log.records.removeFirst(max(1, log.records.count - limit + limit / 10)) }
        }
        return response
    }

    /// Every request served so far, in order.
    public var requestLog: [SimRequestRecord] { log.withLock { $0.records } }

    /// Requests matching `predicate` (e.g. `{ $0.operation == "DeleteBucket" && $0.status == 204 }`).
    public func requests(where predicate: (SimRequestRecord) -> Bool) -> [SimRequestRecord] {
        log.withLock { $0.records.filter(predicate) }
    }

    /// Reads or changes the world directly (seeding, inspection), under the same lock as requests.
    public func withState<T: Sendable>(_ body: (inout SimState) -> T) -> T {
        world.withLock { body(&$0) }
    }
}
