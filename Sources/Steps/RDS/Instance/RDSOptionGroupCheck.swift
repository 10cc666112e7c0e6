import AWSClient
import AWSServices
import Engine
import Foundation

/// The preflight's option-group comparison for an instance move. Persistent and permanent
/// options (Oracle TDE, SQL Server TDE, Oracle Timezone…) cannot be removed and stay with every
/// snapshot; a restore needs an option group that holds them (AWS-NOTES-2 OG-1, OG-4). So:
///
/// - the source instance's option groups (its memberships) are described in the source;
/// - a persistent or permanent option other than Oracle `Timezone`/`OLS` makes the snapshot
///   unshareable (RDSUG-2023 USER_ShareSnapshot.md, OG-2): named, with what to do instead;
/// - with `optionGroup`, the target's group must exist, be for the same engine, and hold every
///   persistent or permanent option of the source — each missing one is named;
/// - without it, a source group that has options is flagged: the restore would land in the
///   engine's default group without them.
struct RDSOptionGroupCheck: Sendable {
    let move: RDSMoveContext<RDSInstanceKind>

    /// The persistent or permanent options RDS lets a shared snapshot carry (`CopyableCrossAccount`).
    static let shareableAcrossAccounts: Set<String> = ["Timezone", "OLS"]

    func problems(_ instance: RDSDBInstance) async throws -> [String] {
        let s = move.settings
        let source = try await move.sourceRDS()
        var sourceGroups: [RDSOptionGroup] = []
        for name in instance.optionGroupNames {
            let group = try await AWSCallBoundary.read(account: move.sourceAccount, resource: name) {
                try await source.optionGroup(named: name)
            }
            if let group { sourceGroups.append(group) }
        }
        let options = sourceGroups.flatMap { group in group.options.map { (group: group.name, option: $0) } }
        let carried = options.filter(\.option.staysWithSnapshots)
        var problems: [String] = []

        let unshareable = carried.filter { !Self.shareableAcrossAccounts.contains($0.option.name) }
        if !unshareable.isEmpty {
            problems.append(
                "`\(s.instance)` in \(s.from) has the \(Self.describe(unshareable)): RDS does not share a snapshot with a persistent "
                    + "or permanent option other than Oracle Timezone and OLS, so this move cannot carry it; move the database another "
                    + "way (native dump and import, DMS) or, if the option can go, remove it in \(s.from) first")
        }
        guard let name = s.optionGroup else {
            if let group = sourceGroups.first(where: { !$0.options.isEmpty && !$0.name.hasPrefix("default:") }) {
                problems.append(
                    "`\(s.instance)` uses option group `\(group.name)` with options \(group.options.map(\.name).joined(separator: ", ")), "
                        + "and the runbook names none for \(s.to): the restore would fall back to the engine's default group without them; "
                        + "create a group with those options in \(s.to) and set `optionGroup:`")
            }
            return problems
        }
        let targetClient = try await move.targetRDS()
        let target = try await AWSCallBoundary.read(account: move.targetAccount, resource: name) {
            try await targetClient.optionGroup(named: name)
        }
        guard let target else {
            problems.append(
                "\(s.to) has no option group `\(name)`; create it (with the source's persistent and permanent options) or fix `with.optionGroup`"
            )
            return problems
        }
        if let engine = target.engineName, !engine.isEmpty, let sourceEngine = instance.engine, engine != sourceEngine {
            problems.append("option group `\(name)` in \(s.to) is for \(engine), not \(sourceEngine) like `\(s.instance)`")
        }
        let has = Set(target.options.map(\.name))
        let missing = carried.filter { !has.contains($0.option.name) }
        if !missing.isEmpty {
            problems.append(
                "option group `\(name)` in \(s.to) lacks the \(Self.describe(missing)) of `\(s.instance)`: RDS restores the snapshot only "
                    + "into a group that has them; add them to `\(name)` (aws rds add-option-to-option-group) and run the preflight again")
        }
        return problems
    }

    /// "persistent option X (group g), permanent option Y (group h)".
    static func describe(_ options: [(group: String, option: RDSOption)]) -> String {
        options.map { entry in
            let kind =
                entry.option.permanent && entry.option.persistent
                ? "persistent and permanent" : entry.option.permanent ? "permanent" : "persistent"
            return "\(kind) option `\(entry.option.name)` (option group `\(entry.group)`)"
        }.joined(separator: ", ")
    }
}
