/// A fault rule the injector cannot use, with what to change.
public struct FaultRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "invalid fault rule: \(message)" }
}
