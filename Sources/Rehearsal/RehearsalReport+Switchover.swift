/// Where the twin's switch-over half is not the real accounts: said only for a runbook that has
/// one, naming what of it the rehearsal did not rehearse.
extension RehearsalReport {
    static func switchoverGaps(_ inventory: TwinInventory) -> [String] {
        guard let found = inventory.switchover else { return [] }
        var gaps: [String] = []
        for url in found.httpChecks {
            gaps.append(
                "http.check \(url) was not rehearsed: the rehearsal's daemon answers it itself with the status and text the check expects; the real site is checked only on the night"
            )
        }
        if !found.secrets.isEmpty {
            gaps.append(
                "secrets (\(found.secrets.map(\.name).joined(separator: ", "))) hold only the JSON keys the runbook merges, with placeholder values: discovery never reads a secret's value, so other keys and the value's real shape are not rehearsed"
            )
        }
        if !found.services.isEmpty {
            gaps.append(
                "ECS rollouts take the simulator's fixed times (30 s per task, 30 s drain); real ones depend on image pulls and health checks, and no task can fail"
            )
        }
        if !found.loadBalancers.isEmpty {
            gaps.append(
                "load balancers: listeners' default actions, certificates and target groups are not copied; rules and their tags are")
        }
        if !found.zones.isEmpty {
            gaps.append(
                "Route 53 changes go INSYNC 60 simulated seconds after they are made; only the records the runbook changes (and the zone's SOA) are copied"
            )
        }
        return gaps
    }
}
