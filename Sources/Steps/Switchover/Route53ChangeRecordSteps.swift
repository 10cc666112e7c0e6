import AWSServices
import Engine
import Foundation
import Runbook

/// `route53.read-record`: reads the record set as it is before the change and journals it as
/// the `previous` output (a record set is not secret), so undo can put it back even after a
/// crash. Read-only: after a crash it is simply read again (nothing has changed it yet: the
/// change is the next primitive).
struct Route53ReadRecordStep: SessionStep {
    typealias Work = Route53RecordContext
    let sessions: any AccountSessions

    /// The record set before the change, as JSON (`none` when there was none).
    struct Outputs: Encodable, Sendable {
        var previous: String
    }

    func run(_ inputs: Route53RecordInputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let record = work(context, inputs)
        let current = try await record.current(try await record.client())
        return .done(Outputs(previous: Route53RecordContext.encode(current)))
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }
}

/// `route53.upsert-record`: the UPSERT. Repeating it is harmless (an UPSERT of the same record
/// set), so a retry simply sends it again.
///
/// - `check`: the change landed when the record set matches what the runbook wants; the change
///   ID is then unknown (it was never journaled), and `wait` confirms by reading the record.
/// - `undo`: puts the record set `read` journaled back (UPSERT) or, when there was none, DELETEs
///   the record — exactly as it is now, which Route 53 requires of a DELETE. If someone changed
///   the record since, undo stops rather than overwrite that. Undo does not wait for INSYNC.
struct Route53UpsertRecordStep: SessionStep {
    typealias Work = Route53RecordContext
    let sessions: any AccountSessions

    /// The change to wait for (empty when `check` confirmed the record without it), the record's
    /// name, and when the change was submitted (the wait's `within` counts from then).
    struct Outputs: Encodable, Sendable {
        var changeId: String
        var name: String
        var submittedAt: Date
    }

    func run(_ inputs: Route53RecordInputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let record = work(context, inputs)
        guard try record.previous() != nil else {
            throw record.error(
                StepErrorCode.invalidInputs, "\(context.step.origin).read journaled no previous record set; undo would not know it")
        }
        let client = try await record.client()
        let change = try await record.change(client, .upsert, record.desired, comment: "cutover \(context.runId) \(context.step.id)")
        return .done(Outputs(changeId: change.id, name: record.desired.name, submittedAt: context.clock.now()))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let record = try work(context)
        guard let current = try await record.current(try await record.client()), current.matches(record.desired) else { return .notDone }
        return try .done(Outputs(changeId: "", name: record.desired.name, submittedAt: context.clock.now()))
    }

    func undo(_ context: StepContext) async throws {
        let record = try work(context)
        guard let journaled = try record.previous() else {
            throw record.error(StepErrorCode.invalidInputs, "\(context.step.origin).read journaled no previous record set")
        }
        let client = try await record.client()
        let current = try await record.current(client)
        let comment = "cutover \(context.runId) undo \(context.step.id)"
        if let previous = journaled {
            if let current, current.matches(previous) { return }  // undone already
            guard let current, current.matches(record.desired) else { throw changedSince(record, current) }
            _ = try await record.change(client, .upsert, previous, comment: comment)
        } else {
            guard let current else { return }  // deleted already
            guard current.matches(record.desired) else { throw changedSince(record, current) }
            _ = try await record.change(client, .delete, current, comment: comment)
        }
    }

    private func changedSince(_ record: Route53RecordContext, _ current: Route53RecordSet?) -> StepError {
        record.error(
            "RecordChangedSinceWrite",
            "\(record.desired.name) \(record.desired.type) is \(current.map { Route53RecordContext.encode($0) } ?? "gone"), not what this run wrote: someone changed it since; restore it by hand and mark the undo done"
        )
    }
}

/// `route53.wait-change`: polls `GetChange` through the engine (`.notYet`, on the engine's
/// clock) until the change is `INSYNC`, giving up `within` after the UPSERT was submitted.
struct Route53WaitChangeStep: SessionStep {
    typealias Work = Route53RecordContext
    let sessions: any AccountSessions

    /// `INSYNC`, or `applied` when the record set was confirmed without its change ID.
    struct Outputs: Encodable, Sendable {
        var status: String
    }

    func run(_ inputs: Route53RecordInputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let record = work(context, inputs)
        let client = try await record.client()
        guard let changeId = record.output(of: "upsert", "changeId"), !changeId.isEmpty else {
            // The UPSERT was confirmed by `check` after a crash, without its change ID: the
            // record set is what the runbook wants; that is what can be confirmed.
            guard let current = try await record.current(client), current.matches(record.desired) else {
                throw record.error(
                    "RecordNotApplied", "\(record.desired.name) \(record.desired.type) does not hold the new record set; retry the upsert")
            }
            return .done(Outputs(status: "applied"))
        }
        let change = try await AWSCallBoundary.read(account: record.account, resource: changeId) { try await client.getChange(changeId) }
        if change.isInSync { return .done(Outputs(status: change.status)) }
        let submitted = record.output(of: "upsert", "submittedAt").flatMap(RunbookTimestamp.parse)
        if context.decision == nil, let submitted, context.clock.now() >= submitted.addingTimeInterval(record.within.timeInterval) {
            throw record.error(
                "WaitTimeout",
                "change \(changeId) is still \(change.status) \(RunbookDuration.format(record.within)) after it was submitted; retry to keep waiting, or roll back"
            )
        }
        await context.progress("change \(changeId): \(change.status)")
        return .notYet(progress: "change \(changeId): \(change.status)", after: record.every)
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let record = try work(context)
        guard let changeId = record.output(of: "upsert", "changeId"), !changeId.isEmpty else { return .notDone }
        let client = try await record.client()
        let change = try await AWSCallBoundary.read(account: record.account, resource: changeId) { try await client.getChange(changeId) }
        return change.isInSync ? try .done(Outputs(status: change.status)) : .notDone
    }
}
