import Foundation

/// The simulator's admin API: JSON over HTTP under `/_sim/`, unauthenticated, served to loopback
/// clients only (the server binds loopback and refuses other peers for these paths). Scripts,
/// the demo and process-level tests use it to inspect the request log, move the clock, inject
/// faults and seed a world; in-process tests can call the same methods on `Simulator` directly.
///
/// | route | does |
/// |---|---|
/// | `GET /_sim/health` | `{"status":"ok", …}` |
/// | `GET /_sim/requests?operation=&service=&account=&status=&errorCode=&since=` | the request log |
/// | `GET /_sim/clock`, `POST /_sim/clock` `{"scale":360}` / `{"advanceSeconds":3600}` / `{"now":"…"}` | simulated time |
/// | `GET /_sim/faults`, `POST /_sim/faults` (a `FaultRule`), `DELETE /_sim/faults[/ID]` | fault rules and counters |
/// | `GET /_sim/rate-limit`, `POST /_sim/rate-limit` `{"writesPerSecond":3500,"readsPerSecond":5500}` / `{"enabled":false}`, `DELETE /_sim/rate-limit` | S3 per-prefix limit |
/// | `POST /_sim/seed` (a `SimWorldSeed`) | seeds accounts, users, roles, KMS keys, RDS, buckets |
/// | `GET /_sim/state` | the world read back: per account its buckets, RDS resources (status now), KMS keys |
/// | `GET /_sim/sessions` | every temporary credential AssumeRole issued, secrets included (for secret scans) |
public struct SimAdminAPI: Sendable {
    public let simulator: Simulator

    public init(simulator: Simulator) { self.simulator = simulator }

    /// Whether the request is for the admin API rather than a simulated service.
    public func handles(_ request: SimRequest) -> Bool {
        request.path == "/_sim" || request.path.hasPrefix("/_sim/")
    }

    /// Answers an admin request; never throws, every problem is a JSON error with a 4xx status.
    public func respond(to request: SimRequest) -> SimResponse {
        let parts = request.path.split(separator: "/").dropFirst().map(String.init)  // drops "_sim"
        let route = parts.first ?? ""
        let rest = Array(parts.dropFirst())
        // HEAD is GET without the body (the server drops it).
        let method = request.method == "HEAD" ? "GET" : request.method
        do {
            switch (method, route, rest.count) {
            case ("GET", "health", 0): return try health()
            case ("GET", "requests", 0): return try requests(request)
            case ("GET", "clock", 0): return try clockState()
            case ("POST", "clock", 0): return try changeClock(request)
            case ("GET", "faults", 0): return try faults()
            case ("POST", "faults", 0): return try addFault(request)
            case ("DELETE", "faults", 0): return try clearFaults(request)
            case ("DELETE", "faults", 1): return try removeFault(id: rest[0])
            case ("GET", "rate-limit", 0): return try rateLimitState()
            case ("POST", "rate-limit", 0): return try changeRateLimit(request)
            case ("DELETE", "rate-limit", 0):
                simulator.faults.setRateLimit(nil)
                return try rateLimitState()
            case ("POST", "seed", 0): return try seed(request)
            case ("GET", "state", 0): return try Self.encoded(200, SimWorldView(simulator))
            case ("GET", "sessions", 0):
                let sessions = simulator.withState { $0.iam.sessions.values.map(SimIssuedSession.init) }
                return try Self.encoded(200, ["sessions": sessions.sorted { $0.accessKeyId < $1.accessKeyId }])
            case (_, "health", 0), (_, "state", 0), (_, "requests", 0), (_, "clock", 0), (_, "faults", 0), (_, "faults", 1),
                (_, "rate-limit", 0), (_, "seed", 0), (_, "sessions", 0):
                throw SimAdminError(405, "MethodNotAllowed", "\(request.method) is not supported on \(request.path)")
            default:
                throw SimAdminError(
                    404, "NoSuchRoute", "no admin route \(request.method) \(request.path); see GET /_sim/health for the list")
            }
        } catch let error as SimAdminError {
            return Self.json(error.status, ["error": ["code": error.code, "message": error.message]])
        } catch {
            return Self.json(500, ["error": ["code": "InternalError", "message": "\(error)"]])
        }
    }

    // MARK: Routes

    static let routes = [
        "GET /_sim/health", "GET /_sim/requests", "GET /_sim/clock", "POST /_sim/clock", "GET /_sim/faults", "POST /_sim/faults",
        "DELETE /_sim/faults", "DELETE /_sim/faults/{id}", "GET /_sim/rate-limit", "POST /_sim/rate-limit", "DELETE /_sim/rate-limit",
        "POST /_sim/seed", "GET /_sim/state", "GET /_sim/sessions",
    ]

    private func health() throws -> SimResponse {
        try Self.encoded(200, Health(status: "ok", region: simulator.configuration.region, now: simulator.clock.now(), routes: Self.routes))
    }

    private func requests(_ request: SimRequest) throws -> SimResponse {
        let filter = try SimRequestLogFilter(query: request)
        let matching = simulator.requests(where: filter.matches)
        return try Self.encoded(200, RequestLog(count: matching.count, requests: matching))
    }

    private func clockState() throws -> SimResponse {
        let now = simulator.clock.now()
        switch simulator.clock {
        case let scaled as ScaledClock:
            return try Self.encoded(200, ClockState(kind: "scaled", now: now, epochSeconds: now.timeIntervalSince1970, scale: scaled.scale))
        case is VirtualClock:
            return try Self.encoded(200, ClockState(kind: "virtual", now: now, epochSeconds: now.timeIntervalSince1970, scale: nil))
        default:
            return try Self.encoded(
                200,
                ClockState(
                    kind: String(describing: type(of: simulator.clock)), now: now, epochSeconds: now.timeIntervalSince1970, scale: nil))
        }
    }

    private func changeClock(_ request: SimRequest) throws -> SimResponse {
        let change: ClockChange = try Self.decode(request)
        if let scale = change.scale {
            guard scale.isFinite, scale >= 0 else { throw SimAdminError(400, "InvalidClockChange", "scale must be a non-negative number") }
            guard let scaled = simulator.clock as? ScaledClock else {
                throw SimAdminError(
                    409, "ClockNotScalable",
                    "the simulator runs a \(type(of: simulator.clock)); only a ScaledClock has a scale (start cutover-aws-sim with --time-scale)"
                )
            }
            scaled.setScale(scale)
        }
        if let seconds = change.advanceSeconds {
            guard seconds.isFinite, seconds >= 0 else {
                throw SimAdminError(
                    400, "InvalidClockChange", "advanceSeconds must be a non-negative number: simulated time never runs backwards")
            }
            switch simulator.clock {
            case let scaled as ScaledClock: scaled.advance(by: seconds)
            case let virtual as VirtualClock: virtual.advance(by: seconds)
            default: throw SimAdminError(409, "ClockNotAdjustable", "the simulator's \(type(of: simulator.clock)) cannot be advanced")
            }
        }
        if let target = change.now {
            guard let virtual = simulator.clock as? VirtualClock else {
                throw SimAdminError(409, "ClockNotSettable", "only a VirtualClock can be set to a date; a ScaledClock can only be advanced")
            }
            guard target >= virtual.now() else {
                throw SimAdminError(400, "InvalidClockChange", "now must not be earlier than the current simulated time")
            }
            virtual.set(target)
        }
        if change.scale == nil, change.advanceSeconds == nil, change.now == nil {
            throw SimAdminError(400, "InvalidClockChange", "give scale, advanceSeconds or now")
        }
        return try clockState()
    }

    private func faults() throws -> SimResponse {
        let injector = simulator.faults
        return try Self.encoded(200, FaultsState(rules: injector.rules, counters: injector.counters, rateLimit: injector.rateLimit))
    }

    private func addFault(_ request: SimRequest) throws -> SimResponse {
        let rule: FaultRule = try Self.decode(request)
        let added: FaultRule
        do throws(FaultRuleError) {
            added = try simulator.faults.addRule(rule)
        } catch {
            throw SimAdminError(400, "InvalidFaultRule", error.message)
        }
        return try Self.encoded(201, added)
    }

    private func clearFaults(_ request: SimRequest) throws -> SimResponse {
        simulator.faults.clearRules()
        if request.query("resetCounters") == "true" { simulator.faults.resetCounters() }
        return try faults()
    }

    private func removeFault(id: String) throws -> SimResponse {
        guard simulator.faults.removeRule(id: SimPercent.decode(id)) else {
            throw SimAdminError(404, "NoSuchFaultRule", "no fault rule has id \(id)")
        }
        return try faults()
    }

    private func rateLimitState() throws -> SimResponse {
        let limit = simulator.faults.rateLimit
        return try Self.encoded(
            200, RateLimitState(enabled: limit != nil, writesPerSecond: limit?.writesPerSecond, readsPerSecond: limit?.readsPerSecond))
    }

    private func changeRateLimit(_ request: SimRequest) throws -> SimResponse {
        let change: RateLimitState = request.body.isEmpty ? RateLimitState(enabled: true) : try Self.decode(request)
        if change.enabled == false {
            simulator.faults.setRateLimit(nil)
        } else {
            let limit = S3RateLimit(
                writesPerSecond: change.writesPerSecond ?? S3RateLimit.documented.writesPerSecond,
                readsPerSecond: change.readsPerSecond ?? S3RateLimit.documented.readsPerSecond)
            guard limit.writesPerSecond >= 0, limit.readsPerSecond >= 0, limit.writesPerSecond.isFinite, limit.readsPerSecond.isFinite
            else {
                throw SimAdminError(400, "InvalidRateLimit", "rates must be non-negative numbers of requests per second")
            }
            simulator.faults.setRateLimit(limit)
        }
        return try rateLimitState()
    }

    private func seed(_ request: SimRequest) throws -> SimResponse {
        let document: SimWorldSeed = try Self.decode(request)
        let applied = try document.apply(to: simulator)
        return try Self.encoded(200, applied)
    }

    // MARK: JSON

    private struct Health: Encodable {
        var status: String
        var region: String
        var now: Date
        var routes: [String]
    }

    private struct RequestLog: Encodable {
        var count: Int
        var requests: [SimRequestRecord]
    }

    private struct ClockState: Encodable {
        var kind: String
        var now: Date
        var epochSeconds: Double
        var scale: Double?
    }

    private struct ClockChange: Decodable {
        var scale: Double?
        var advanceSeconds: Double?
        var now: Date?
    }

    private struct FaultsState: Encodable {
        var rules: [FaultRuleStatus]
        var counters: FaultCounters
        var rateLimit: S3RateLimit?
    }

    private struct RateLimitState: Codable {
        var enabled: Bool?
        var writesPerSecond: Double?
        var readsPerSecond: Double?
    }

    static func decode<T: Decodable>(_ request: SimRequest) throws -> T {
        try decode(json: request.body.isEmpty ? Data("{}".utf8) : request.body)
    }

    /// Decodes an admin JSON document (also a `--seed-file`), naming where it went wrong.
    static func decode<T: Decodable>(json: Data) throws(SimAdminError) -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: json)
        } catch let DecodingError.dataCorrupted(context) {
            throw SimAdminError(400, "MalformedJSON", Self.describe(context))
        } catch let DecodingError.keyNotFound(key, context) {
            throw SimAdminError(400, "MalformedJSON", "missing \"\(key.stringValue)\" at \(Self.path(context))")
        } catch let DecodingError.typeMismatch(type, context) {
            throw SimAdminError(400, "MalformedJSON", "expected \(type) at \(Self.path(context))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw SimAdminError(400, "MalformedJSON", "expected \(type) at \(Self.path(context))")
        } catch {
            throw SimAdminError(400, "MalformedJSON", "the body is not the expected JSON: \(error)")
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? context.debugDescription : "\(context.debugDescription) (at \(path(context)))"
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the top level" : context.codingPath.map(\.stringValue).joined(separator: ".")
    }

    static func encoded<T: Encodable>(_ status: Int, _ value: T) throws -> SimResponse {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return SimResponse(status: status, headers: [("Content-Type", "application/json")], body: try encoder.encode(value))
    }

    static func json(_ status: Int, _ object: [String: Any]) -> SimResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return SimResponse(status: status, headers: [("Content-Type", "application/json")], body: body)
    }
}
