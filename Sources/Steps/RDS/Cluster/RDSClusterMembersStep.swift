import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `rds.create-cluster-members`: CreateDBInstance in the restored cluster for each member,
/// `<targetCluster>-1` (the writer, created first) … `-N`, with the class asked for (the source
/// members' by default) and the run's tags. Idempotent by identifier: a member this run already
/// created is not created again; a name held by something else stops the step. `check` is done
/// when every member exists.
///
/// Undo is DESTRUCTIVE: it deletes the members this run created (Aurora keeps the data in the
/// cluster volume, but the instances — and any connections to them — are gone).
struct RDSClusterMembersStep: RDSMoveStep {
    typealias Kind = RDSClusterKind
    let sessions: any AccountSessions

    /// The members (comma-separated, writer first) and when the last of them was created.
    struct Outputs: Encodable, Sendable {
        var members: String
        var startedAt: Date
    }

    func run(_ settings: RDSClusterKind.Settings, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
        let move = work(context, settings)
        let s = move.settings
        let ids = move.memberIds
        guard !ids.isEmpty,
            let instanceClass = s.instanceClass ?? move.output(of: "preflight", "memberClass").flatMap({ $0.isEmpty ? nil : $0 }),
            let engine = move.output(of: "preflight", "engine")
        else {
            throw StepError(
                code: StepErrorCode.invalidInputs, message: "the members' count, class or engine is unknown: re-run the preflight",
                retryable: false, account: move.targetAccount, resource: s.targetCluster)
        }
        var existing = try await move.targetMembers()
        let client = try await move.targetRDS()
        for id in ids where existing[id] == nil {
            let request = CreateDBInstanceRequest(
                instanceIdentifier: id, instanceClass: instanceClass, engine: engine, clusterIdentifier: s.targetCluster,
                tags: move.runTags("members"))
            do {
                existing[id] = try await move.calls.mutate(
                    "CreateDBInstance", account: move.targetAccount, resource: id
                ) {
                    let result = try await client.createDBInstance(request)
                    return (result.value, result.requestId)
                }
            } catch let error as StepError where error.code == .dbInstanceAlreadyExists {
                guard let found = try await RDSLookup.instance(id, client: client, account: move.targetAccount) else { throw error }
                existing[id] = found
            }
        }
        return .done(try outputs(existing, ids: ids, move))
    }

    func check(_ context: StepContext) async throws -> CheckResult {
        let move = try work(context)
        let existing = try await move.targetMembers()
        guard !move.memberIds.isEmpty, existing.count == move.memberIds.count else { return .notDone }
        return try .done(outputs(existing, ids: move.memberIds, move))
    }

    func undo(_ context: StepContext) async throws {
        let move = try work(context)
        let client = try await move.targetRDS()
        for (id, instance) in try await move.targetMembers().sorted(by: { $0.key > $1.key })
        where instance.status != "deleting" && instance.status != "deleted" {
            guard move.createdByThisRun(instance.tags) else {
                await context.progress("instance \(id) in \(move.settings.to) was not created by this run; kept")
                continue
            }
            do {
                _ = try await move.calls.mutate(
                    "DeleteDBInstance", account: move.targetAccount, resource: instance.arn ?? id
                ) {
                    let result = try await client.deleteDBInstance(DeleteDBInstanceRequest(instanceIdentifier: id, finalSnapshot: .skip))
                    return (result.value, result.requestId)
                }
            } catch let error as StepError where error.code == .dbInstanceNotFound {
                continue
            }
        }
    }

    /// Every member must be this run's and in the restored cluster.
    private func outputs(_ members: [String: RDSDBInstance], ids: [String], _ move: RDSMoveContext<RDSClusterKind>) throws -> Outputs {
        let s = move.settings
        for id in ids {
            guard let member = members[id] else { continue }
            guard move.createdByThisRun(member.tags), member.dbClusterIdentifier?.lowercased() == s.targetCluster.lowercased() else {
                throw StepError(
                    code: AWSErrorCode.dbInstanceAlreadyExists.name,
                    message: "\(s.to) already has an instance `\(id)` that this run did not create in `\(s.targetCluster)`; "
                        + "choose another `targetCluster:` or remove it",
                    retryable: false, account: move.targetAccount, resource: member.arn ?? id)
            }
        }
        let started = ids.compactMap { members[$0]?.instanceCreateTime }.max() ?? move.now()
        return Outputs(members: ids.joined(separator: ","), startedAt: started)
    }
}
