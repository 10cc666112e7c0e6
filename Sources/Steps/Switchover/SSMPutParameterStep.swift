import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// Executes `ssm.put-parameter`.
///
/// Parameter Store has no idempotency token, so the step tells its own write from an older value
/// by what the history shows (`GetParameterHistory` with decryption, compared in memory only):
/// - `run`, first attempt: the latest version is what was there before; if it already holds the
///   value, nothing is written (`unchanged`), otherwise `PutParameter` writes version n+1.
/// - `check` and later attempts (a retry, a resume after a crash): a latest version holding the
///   value is taken to be this step's write, and the version before it the previous one. (A
///   parameter that already held the value before the run and whose first attempt crashed is
///   the one case this reads wrong; its undo then writes back the version before.)
/// - `undo` reads the previous version's value from the history at undo time and writes it
///   back, or deletes the parameter when the step created it. If someone wrote the parameter
///   after the step, undo stops rather than overwrite that.
///
/// Values — the new one and the previous one — are never outputs, call records or errors.
struct SSMPutParameterStep: TypedStep {
    let sessions: any AccountSessions

    /// The version the step left, the one before it (`none`: the step created the parameter),
    /// and `unchanged` when the parameter already held the value (nothing to undo).
    struct Outputs: Encodable, Sendable {
        var version: Int
        var previousVersion: String
        var unchanged: Bool?

        init(version: Int, previous: Int?, unchanged: Bool? = nil) {
            self.version = version
            self.previousVersion = previous.map(String.init) ?? ParameterWriteContext.none
            self.unchanged = unchanged
        }
    }

    func run(_ inputs: SSMPutParameterInputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let write = try await ParameterWriteContext.make(context, inputs, sessions: sessions)
        let client = try await write.client()
        let history = try await write.history(client)
        switch write.observe(history, firstAttempt: context.attempt == 1) {
        case let .unchanged(version):
            return .done(Outputs(version: version, previous: version, unchanged: true))
        case let .written(version, previous):
            return .done(Outputs(version: version, previous: previous))
        case let .notWritten(previous):
            let written = try await write.calls.mutate("PutParameter", account: write.account, resource: write.name) {
                let result = try await client.putParameter(write.name, value: write.value, type: write.type, keyId: write.keyId)
                return (result, result.requestId)
            }
            return .done(Outputs(version: written.version, previous: previous))
        }
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let write = try await ParameterWriteContext.make(context, try decodeInputs(context), sessions: sessions)
        let history = try await write.history(try await write.client())
        guard case let .written(version, previous) = write.observe(history, firstAttempt: false) else { return .notDone }
        return try .done(Outputs(version: version, previous: previous))
    }

    func undo(_ context: StepContext) async throws {
        let write = try await ParameterWriteContext.make(context, try decodeInputs(context), sessions: sessions, needsValue: false)
        let id = context.step.id
        if context.output(of: id, "unchanged") == "true" { return }
        guard let version = context.output(of: id, "version").flatMap({ Int($0) }),
            let previousText = context.output(of: id, "previousVersion")
        else {
            throw write.error(StepErrorCode.invalidInputs, "no version was journaled for \(id); nothing to undo by")
        }
        let client = try await write.client()
        let history = try await write.history(client)
        guard let latest = history.last else {
            if previousText == ParameterWriteContext.none { return }  // deleted already (an undo repeated after a crash)
            throw write.error(
                "ParameterGone", "parameter \(write.name) no longer exists; its version \(previousText) cannot be written back")
        }
        guard let previous = Int(previousText) else {
            // The step created the parameter: delete it, unless someone wrote it since.
            guard latest.version == version else { throw write.changedSince(version, latest: latest.version) }
            do {
                _ = try await write.calls.mutate("DeleteParameter", account: write.account, resource: write.name) {
                    ((), try await client.deleteParameter(write.name))
                }
            } catch let error as StepError where error.code == .parameterNotFound {
                return
            }
            return
        }
        guard let before = history.first(where: { $0.version == previous }), let value = before.value else {
            throw write.error(
                "PreviousVersionGone",
                "version \(previous) of parameter \(write.name) is no longer in its history (Parameter Store keeps 100); write the old value by hand"
            )
        }
        if latest.version == version + 1, latest.value == value, latest.type == before.type { return }  // undone already
        guard latest.version == version else { throw write.changedSince(version, latest: latest.version) }
        _ = try await write.calls.mutate("PutParameter", account: write.account, resource: write.name) {
            let result = try await client.putParameter(
                write.name, value: value, type: before.type, keyId: before.type.isSecret ? before.keyId : nil)
            return (result, result.requestId)
        }
    }
}

/// One attempt of `ssm.put-parameter`: its inputs and account, and what the history says.
struct ParameterWriteContext: Sendable {
    /// `previousVersion` when the step created the parameter.
    static let none = "none"

    enum Observation: Equatable {
        /// The first attempt found the value already there: nothing to write or undo.
        case unchanged(version: Int)
        /// The latest version holds the value, written by this step; nil previous: it created it.
        case written(version: Int, previous: Int?)
        /// Not written yet; the current version (nil: the parameter does not exist).
        case notWritten(previous: Int?)
    }

    let step: StepContext
    let sessions: any AccountSessions
    let accountName: String
    let name: String
    /// The value to write: the runbook's, or the secret key's read at run time (memory only).
    let value: String
    let type: SSMParameterType
    let keyId: String?

    /// Reads the inputs and, for `valueFrom`, the secret key's current value — unless the caller
    /// needs no value (undo works from the history alone, even if the secret is gone by then).
    static func make(
        _ step: StepContext, _ inputs: SSMPutParameterInputs, sessions: any AccountSessions, needsValue: Bool = true
    ) async throws -> ParameterWriteContext {
        guard let type = SSMParameterType(rawValue: inputs.type) else {
            throw StepError(
                code: StepErrorCode.invalidInputs,
                message: "\(step.step.id): `\(inputs.type)` is not a parameter type; re-plan the runbook",
                retryable: false)
        }
        let account = inputs.account
        let accountLabel = sessions.accountId(account) ?? account
        let value: String
        if let literal = inputs.value {
            value = literal
        } else if !needsValue {
            value = ""
        } else if let source = inputs.valueFrom {
            value = try await SecretKeyReader.read(
                source.key, of: source.secretId, account: account, label: accountLabel, sessions: sessions)
        } else {
            throw StepError(
                code: StepErrorCode.invalidInputs, message: "\(step.step.id) has neither value nor valueFrom: re-plan the runbook",
                retryable: false)
        }
        return ParameterWriteContext(
            step: step, sessions: sessions, accountName: account, name: inputs.name, value: value, type: type, keyId: inputs.keyId)
    }

    var account: String { sessions.accountId(accountName) ?? accountName }
    var calls: AWSCallBoundary { AWSCallBoundary(context: step, service: "ssm", region: sessions.region) }

    func client() async throws -> SSMClient {
        try await AWSCallBoundary.read(account: account, resource: name) { try await sessions.ssm(accountName) }
    }

    /// Every version, oldest first, decrypted in memory; empty when the parameter does not exist.
    func history(_ client: SSMClient) async throws -> [SSMParameterVersion] {
        try await AWSCallBoundary.read(account: account, resource: name) {
            do {
                return try await client.parameterHistory(name, withDecryption: true)
            } catch let error as AWSError where AWSErrorCode.parameterNotFound.matches(error.code) {
                return []
            }
        }
    }

    func observe(_ history: [SSMParameterVersion], firstAttempt: Bool) -> Observation {
        guard let latest = history.last else { return .notWritten(previous: nil) }
        guard latest.value == value, latest.type == type else { return .notWritten(previous: latest.version) }
        if firstAttempt { return .unchanged(version: latest.version) }
        return .written(version: latest.version, previous: history.dropLast().last?.version)
    }

    func changedSince(_ version: Int, latest: Int) -> StepError {
        error(
            "ParameterChangedSinceWrite",
            "parameter \(name) is at version \(latest), written after this run's version \(version): someone changed it since; set it by hand and mark the undo done"
        )
    }

    func error(_ code: String, _ message: String) -> StepError {
        StepError(code: code, message: message, retryable: false, account: account, resource: name)
    }
}
