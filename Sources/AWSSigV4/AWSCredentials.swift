import Foundation

/// A set of AWS credentials: long-term keys, or temporary ones with a session token and expiry.
///
/// The secret never appears in `description`, `debugDescription` or string interpolation, so a
/// credential that ends up in a log line or an error message leaks nothing (DESIGN invariant 7).
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?
    /// The account the credentials belong to, when the source says so (container/SSO responses do).
    public var accountId: String?

    public init(
        accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil,
        expiration: Date? = nil, accountId: String? = nil
    ) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.accountId = accountId
    }

    /// True when the credentials expire within `margin` of `now`.
    public func expires(within margin: TimeInterval, of now: Date) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        let temp = sessionToken == nil ? "long-term" : "temporary"
        let exp = expiration.map { ", expires \(ISO8601DateFormatter().string(from: $0))" } ?? ""
        return "AWSCredentials(\(accessKeyId), \(temp)\(exp), secret redacted)"
    }
    public var debugDescription: String { description }
}

extension AWSCredentials: CustomReflectable {
    /// `dump()` and Mirror-based loggers walk stored properties and would print the secret and
    /// the session token; this mirror shows neither.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyId": accessKeyId as Any,
                "secretAccessKey": "redacted" as Any,
                "sessionToken": (sessionToken == nil ? "none" : "redacted") as Any,
                "expiration": expiration as Any,
                "accountId": accountId as Any,
            ], displayStyle: .struct)
    }
}
