import Engine
import Foundation
import Runbook

/// What an S3 primitive reads from its plan inputs (`context.step.inputs`), with a clear error
/// when a plan was written by hand and lacks something.
struct S3StepInputs {
    let inputs: JSONValue
    let stepId: String

    init(_ context: StepContext) {
        inputs = context.step.inputs
        stepId = context.step.id
    }

    /// `{"account": …, "bucket": …}` as the definitions write it.
    static func bucketJSON(account: String, bucket: String) -> JSONValue {
        .object([("account", .string(account)), ("bucket", .string(bucket))])
    }

    func string(_ key: String) throws -> String {
        guard let value = inputs[key]?.stringValue, !value.isEmpty else { throw missing(key) }
        return value
    }

    func optionalString(_ key: String) -> String? { inputs[key]?.stringValue }

    func int(_ key: String, default value: Int) -> Int {
        inputs[key]?.numberValue.map { Int($0) } ?? value
    }

    func bool(_ key: String) -> Bool { inputs[key]?.boolValue ?? false }

    /// `from`/`to` of a copy or verify.
    func location(_ key: String) throws -> S3Location {
        guard let value = inputs[key], let account = value["account"]?.stringValue, let bucket = value["bucket"]?.stringValue
        else { throw missing("\(key).account/\(key).bucket") }
        return S3Location(account: account, bucket: bucket)
    }

    /// `{"old": "new"}` mappings.
    func map(_ key: String) -> [String: String] {
        guard case .object(let members)? = inputs[key] else { return [:] }
        var result: [String: String] = [:]
        for (old, new) in members { if let new = new.stringValue { result[old] = new } }
        return result
    }

    private func missing(_ key: String) -> StepError {
        StepError(code: StepErrorCode.invalidInputs, message: "step \(stepId) has no input `\(key)`; re-plan the runbook", retryable: false)
    }
}

/// A bucket in a runbook account.
struct S3Location: Sendable, Hashable, CustomStringConvertible {
    var account: String
    var bucket: String

    var description: String { "\(account):\(bucket)" }
}
