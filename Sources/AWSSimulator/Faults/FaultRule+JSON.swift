import Foundation

/// The JSON form of a rule, as `POST /_sim/faults` takes it and `GET /_sim/faults` returns it:
///
/// ```json
/// {"service": "s3", "operation": "GetObject", "resourcePrefix": "legacy-data/logs/",
///  "effect": "resetAfter", "bodyBytes": 100, "probability": 0.25}
/// ```
///
/// `effect` is one of `internalError`, `throttling`, `resetAfter` (with `bodyBytes`),
/// `dropConnection`, `latency` (with `milliseconds`) or `error` (with `code`, `status`, `message`).
/// The trigger is at most one of `probability`, `from` (with optional `through`: the Nth..Mth
/// matching requests) or `every` (every k-th); none means every matching request.
/// `service` and `operation` default to `*`.
extension FaultRule: Codable {
    private enum Key: String, CodingKey {
        case id, service, operation, resourcePrefix, effect, bodyBytes, milliseconds, code, status, message
        case probability, from, through, every, seed
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let id = try c.decodeIfPresent(String.self, forKey: .id)
        let service = try c.decodeIfPresent(String.self, forKey: .service) ?? "*"
        let operation = try c.decodeIfPresent(String.self, forKey: .operation) ?? "*"
        let prefix = try c.decodeIfPresent(String.self, forKey: .resourcePrefix)
        let seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)

        let effect: Effect
        let name = try c.decode(String.self, forKey: .effect)
        switch name {
        case "internalError": effect = .internalError
        case "throttling": effect = .throttling
        case "dropConnection": effect = .dropConnection
        case "resetAfter": effect = .resetAfter(bodyBytes: try c.decodeIfPresent(Int.self, forKey: .bodyBytes) ?? 0)
        case "latency":
            let ms = try c.decode(Double.self, forKey: .milliseconds)
            effect = .latency(.nanoseconds(Int64((ms * 1_000_000).rounded())))
        case "error":
            let code = try c.decode(String.self, forKey: .code)
            let status = try c.decode(Int.self, forKey: .status)
            let message = try c.decodeIfPresent(String.self, forKey: .message) ?? "Injected by the simulator's fault rules."
            effect = .error(SimError(code, message, status: status))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .effect, in: c,
                debugDescription: "unknown effect \"\(name)\"; use internalError, throttling, resetAfter, dropConnection, latency or error")
        }

        let probability = try c.decodeIfPresent(Double.self, forKey: .probability)
        let from = try c.decodeIfPresent(Int.self, forKey: .from)
        let through = try c.decodeIfPresent(Int.self, forKey: .through)
        let every = try c.decodeIfPresent(Int.self, forKey: .every)
        let triggers = [probability != nil, from != nil || through != nil, every != nil].filter { $0 }.count
        guard triggers <= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .probability, in: c, debugDescription: "give at most one of probability, from/through or every")
        }
        let trigger: Trigger
        if let probability {
            trigger = .probability(probability)
        } else if from != nil || through != nil {
            let lower = from ?? 1
            let upper = through ?? Int.max
            guard lower <= upper else {
                throw DecodingError.dataCorruptedError(forKey: .through, in: c, debugDescription: "through must not be less than from")
            }
            trigger = .requests(lower...upper)
        } else if let every {
            trigger = .every(every)
        } else {
            trigger = .always
        }
        self.init(id: id, service: service, operation: operation, resourcePrefix: prefix, effect: effect, trigger: trigger, seed: seed)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(service, forKey: .service)
        try c.encode(operation, forKey: .operation)
        try c.encodeIfPresent(resourcePrefix, forKey: .resourcePrefix)
        try c.encodeIfPresent(seed, forKey: .seed)
        switch effect {
        case .internalError: try c.encode("internalError", forKey: .effect)
        case .throttling: try c.encode("throttling", forKey: .effect)
        case .dropConnection: try c.encode("dropConnection", forKey: .effect)
        case .resetAfter(let bytes):
            try c.encode("resetAfter", forKey: .effect)
            try c.encode(bytes, forKey: .bodyBytes)
        case .latency(let duration):
            try c.encode("latency", forKey: .effect)
            try c.encode(duration.milliseconds, forKey: .milliseconds)
        case .error(let error):
            try c.encode("error", forKey: .effect)
            try c.encode(error.code, forKey: .code)
            try c.encode(error.status, forKey: .status)
            try c.encode(error.message, forKey: .message)
        }
        switch trigger {
        case .always: break
        case .probability(let p): try c.encode(p, forKey: .probability)
        case .requests(let range):
            try c.encode(range.lowerBound, forKey: .from)
            if range.upperBound != Int.max { try c.encode(range.upperBound, forKey: .through) }
        case .every(let k): try c.encode(k, forKey: .every)
        }
    }
}

extension Duration {
    /// Whole and fractional milliseconds, for JSON.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
