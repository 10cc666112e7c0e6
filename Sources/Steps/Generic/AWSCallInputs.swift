import Runbook

/// The typed inputs of `aws.call` and `aws.wait`, as `AWSCallDefinition`/`AWSWaitDefinition`
/// plan them and the executors decode them. `parameters` stays the plan's own JSON
/// (`OrderedJSON`): AWS receives them in the order the runbook wrote them, and the plan keeps it.
struct AWSCallInputs: Codable, Sendable {
    var account: String
    var service: String
    var operation: String
    var parameters: OrderedJSON
    /// Output name → path in the answer (`AWSAnswerPath`), as the runbook's `outputs:` names them.
    var outputs: [String: String]
    /// `aws.call` only: the call that reverses this one.
    var undo: AWSUndoCall?
    /// `aws.call` only: repeating the call is harmless (declared, or a read).
    var idempotent: Bool?
    /// What errors and the journal name the call's target.
    var resource: String?
}

/// `undo:` of an `aws.call`: its parameters may read this step's outputs as `${self.outputs.NAME}`.
struct AWSUndoCall: Codable, Sendable {
    var service: String
    var operation: String
    var parameters: OrderedJSON
    /// AWS error codes meaning "already undone" (the thing is gone).
    var ignoreErrors: [String]
}

/// `aws.wait`: the call, and the value at `path` it waits for.
struct AWSWaitInputs: Codable, Sendable {
    var account: String
    var service: String
    var operation: String
    var parameters: OrderedJSON
    var path: String
    /// The values that end the wait.
    var expected: [String]
    var outputs: [String: String]

    /// The call it repeats.
    var call: AWSCallInputs {
        AWSCallInputs(account: account, service: service, operation: operation, parameters: parameters, outputs: outputs)
    }
}
