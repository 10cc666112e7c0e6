/// A query over the request log, from `GET /_sim/requests`' query parameters: every given
/// field must match (`operation`, `service`, `account`, `status`, `errorCode`, `resource`
/// (prefix), `injected`, `mutated`, and `since` = only records with a larger sequence number).
public struct SimRequestLogFilter: Sendable, Equatable {
    public var operation: String?
    public var service: String?
    public var account: String?
    public var status: Int?
    public var errorCode: String?
    public var resourcePrefix: String?
    public var injected: Bool?
    public var mutated: Bool?
    public var since: Int?

    public init() {}

    init(query request: SimRequest) throws(SimAdminError) {
        for (name, value) in request.queryItems {
            switch name {
            case "operation": operation = value
            case "service": service = value
            case "account": account = value
            case "errorCode": errorCode = value
            case "resource": resourcePrefix = value
            case "status": status = try Self.int(name, value)
            case "since": since = try Self.int(name, value)
            case "injected": injected = try Self.bool(name, value)
            case "mutated": mutated = try Self.bool(name, value)
            default:
                throw SimAdminError(
                    400, "InvalidFilter",
                    "unknown filter \(name); use operation, service, account, status, errorCode, resource, injected, mutated or since")
            }
        }
    }

    public func matches(_ record: SimRequestRecord) -> Bool {
        if let operation, record.operation != operation { return false }
        if let service, record.service != service { return false }
        if let account, record.account != account { return false }
        if let status, record.status != status { return false }
        if let errorCode, record.errorCode != errorCode { return false }
        if let resourcePrefix, !(record.resource ?? "").hasPrefix(resourcePrefix) { return false }
        if let injected, record.injected != injected { return false }
        if let mutated, record.mutated != mutated { return false }
        if let since, record.sequence <= since { return false }
        return true
    }

    private static func int(_ name: String, _ value: String) throws(SimAdminError) -> Int {
        guard let number = Int(value) else { throw SimAdminError(400, "InvalidFilter", "\(name) must be an integer, not \(value)") }
        return number
    }

    private static func bool(_ name: String, _ value: String) throws(SimAdminError) -> Bool {
        switch value {
        case "true", "1": return true
        case "false", "0": return false
        default: throw SimAdminError(400, "InvalidFilter", "\(name) must be true or false, not \(value)")
        }
    }
}
