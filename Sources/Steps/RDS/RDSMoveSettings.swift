import Engine
import Foundation
import Runbook

/// The inputs every `rds.move-instance` primitive receives (the planner copies the step's `with:`
/// into each), typed, with the names derived from them: the snapshot identifier (from the run ID
/// unless the runbook names one, so a restart finds the same snapshot) and the restored instance's
/// identifier (the source's unless `targetInstance` says otherwise).
struct RDSMoveSettings: Sendable, Equatable {
    var instance: String
    var from: String
    var to: String
    var kmsKey: String
    var subnetGroup: String
    var securityGroups: [String]
    var parameterGroup: String?
    var instanceClass: String?
    var multiAZ: Bool?
    var deletionProtection: Bool?
    var targetInstance: String
    /// The snapshot the runbook names; nil: derived from the run ID.
    var snapshot: String?
    var pollInterval: Duration
    var waitTimeout: Duration

    static let defaultPollInterval: Duration = .seconds(30)
    static let defaultWaitTimeout: Duration = .seconds(12 * 3600)

    init(_ step: PlannedStep) throws {
        let inputs = step.inputs
        func required(_ key: String) throws -> String {
            guard let value = inputs[key]?.stringValue, !value.isEmpty else {
                throw StepError(code: "InvalidInputs", message: "\(step.id) has no `\(key)` input; re-plan the runbook",
                                retryable: false)
            }
            return value
        }
        instance = try required("instance")
        from = try required("from")
        to = try required("to")
        kmsKey = try required("kmsKey")
        subnetGroup = try required("subnetGroup")
        securityGroups = inputs["securityGroups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        parameterGroup = inputs["parameterGroup"]?.stringValue
        instanceClass = inputs["instanceClass"]?.stringValue
        multiAZ = inputs["multiAZ"]?.boolValue
        deletionProtection = inputs["deletionProtection"]?.boolValue
        targetInstance = inputs["targetInstance"]?.stringValue ?? instance
        snapshot = inputs["snapshot"]?.stringValue
        pollInterval = inputs["pollSeconds"]?.numberValue.map { .milliseconds(Int64($0 * 1000)) } ?? Self.defaultPollInterval
        waitTimeout = inputs["waitTimeoutSeconds"]?.numberValue.map { .milliseconds(Int64($0 * 1000)) } ?? Self.defaultWaitTimeout
    }

    /// The snapshot in the source, and the name of its copy in the target: the runbook's, or
    /// `cutover-<instance>-<run ID>` — the same on every attempt of the run, so CreateDBSnapshot
    /// and CopyDBSnapshot are idempotent by identifier.
    func snapshotIdentifier(runId: String) -> String {
        if let snapshot { return snapshot }
        return Self.identifier("cutover-\(instance)-\(runId)")
    }

    /// An RDS identifier from `text`: lower-case letters, digits and single hyphens, starting with
    /// a letter, at most 255 characters, not ending in a hyphen.
    static func identifier(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            let ok = character.isASCII && (character.isLetter || character.isNumber)
            if ok {
                out.append(character)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
        }
        if out.first?.isLetter != true { out = "c-" + out }
        out = String(out.prefix(255))
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// The tag every resource the move creates carries, with the run ID as its value: `check` and
    /// `undo` act only on what this run created.
    static let runTag = "cutover:run"
    /// The primitive that created the resource.
    static let stepTag = "cutover:step"
}
