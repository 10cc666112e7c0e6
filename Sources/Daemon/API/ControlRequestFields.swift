import ControlProtocol
import Foundation

/// A request body's field names. The daemon refuses a body with any other top-level field: the
/// caller is whoever the kernel says is on the socket (SO_PEERCRED), so a field such as `by`,
/// `user` or `approver` must fail loudly rather than be silently ignored by someone who thinks it
/// took effect; and a misspelt `comment` is better reported than lost.
protocol ControlRequestFields {
    static var fields: Set<String> { get }
}

extension StartRunRequest: ControlRequestFields {
    static let fields: Set<String> = ["file", "runbook", "parameters", "expectPlanHash"]
}

extension PlanRequest: ControlRequestFields {
    static let fields: Set<String> = ["file", "runbook", "parameters", "preflight"]
}

extension ApprovalRequest: ControlRequestFields {
    static let fields: Set<String> = ["step", "verdict", "comment"]
}

extension ActionRequest: ControlRequestFields {
    static let fields: Set<String> = ["comment", "step"]
}

extension DecideRequest: ControlRequestFields {
    static let fields: Set<String> = ["step", "option", "comment"]
}

extension ControlRequestFields {
    /// The body's top-level fields this request does not have, sorted; empty for a body that is
    /// not a JSON object (the decoder reports that).
    static func unknownFields(in body: Data) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return [] }
        return object.keys.filter { !fields.contains($0) }.sorted()
    }
}
