import Engine
import Foundation
import Runbook

/// Reads a move's planned inputs: the required ones (a missing one means the plan is not this
/// code's: re-plan), and the wait's pace.
struct RDSMoveInputReader {
    let step: PlannedStep

    init(_ step: PlannedStep) { self.step = step }

    /// botocore's interval for RDS waiters.
    static let defaultPollInterval: Duration = .seconds(30)
    /// Not botocore's 30 minutes: copying or restoring a large database takes hours.
    static let defaultWaitTimeout: Duration = .seconds(12 * 3600)

    var inputs: JSONValue { step.inputs }

    func required(_ key: String) throws -> String {
        guard let value = inputs[key]?.stringValue, !value.isEmpty else {
            throw StepError(code: StepErrorCode.invalidInputs, message: "\(step.id) has no `\(key)` input; re-plan the runbook", retryable: false)
        }
        return value
    }

    func duration(_ key: String) -> Duration? {
        inputs[key]?.numberValue.map { .milliseconds(Int64($0 * 1000)) }
    }
}
