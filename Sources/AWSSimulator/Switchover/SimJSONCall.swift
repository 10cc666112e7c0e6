import Foundation

/// The body of one AWS JSON 1.1 request (ECS, Secrets Manager, SSM) and the way such services
/// answer: `X-Amz-Target: <prefix>.<Operation>`, a JSON object in, a JSON object out, errors as
/// `{"__type": code, "message": text}` (botocore `json` protocol).
struct SimJSONInput {
    private let object: [String: Any]

    init(_ body: Data) throws(SimError) {
        if body.isEmpty {
            object = [:]
            return
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw SimError("SerializationException", "The request body is not a JSON object.", status: 400)
        }
        object = parsed
    }

    func string(_ name: String) -> String? {
        guard let value = object[name] as? String, !value.isEmpty else { return nil }
        return value
    }

    /// A required member; absent → the `ValidationException` botocore-modelled services answer.
    func required(_ name: String, code: String = "ValidationException") throws(SimError) -> String {
        guard let value = string(name) else {
            throw SimError(
                code, "1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null",
                status: 400)
        }
        return value
    }

    func int(_ name: String) throws(SimError) -> Int? {
        guard let value = object[name] else { return nil }
        guard let number = value as? NSNumber else { throw SimError("SerializationException", "\(name) must be a number.", status: 400) }
        return number.intValue
    }

    func bool(_ name: String) -> Bool? { (object[name] as? NSNumber)?.boolValue }

    func strings(_ name: String) -> [String] { (object[name] as? [Any])?.compactMap { $0 as? String } ?? [] }

    func has(_ name: String) -> Bool { object[name] != nil }
}

enum SimJSON {
    /// The operation named by `X-Amz-Target: <prefix>.<Operation>` when it is one of `operations`.
    static func operation(_ request: SimRequest, prefix: String, _ operations: Set<String>) -> String? {
        guard request.method == "POST", let target = request.header("X-Amz-Target"), target.hasPrefix(prefix + ".") else { return nil }
        let name = String(target.dropFirst(prefix.count + 1))
        return operations.contains(name) ? name : nil
    }

    static func response(_ object: [String: Any], requestId: String) -> SimResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return SimResponse(status: 200, headers: headers(requestId), body: body)
    }

    static func error(_ error: SimError, requestId: String) -> SimResponse {
        let object: [String: Any] = ["__type": error.code, "message": error.message]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return SimResponse(status: error.status, headers: headers(requestId), body: body)
    }

    /// JSON protocol timestamps are epoch seconds.
    static func time(_ date: Date) -> Double { (date.timeIntervalSince1970 * 1000).rounded() / 1000 }

    private static func headers(_ requestId: String) -> [(name: String, value: String)] {
        [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", requestId)]
    }
}
