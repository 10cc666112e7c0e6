import Foundation
import Runbook
import Steps

/// The runbook loader on arbitrary text, then (when it loads) the planner and both plan renderers.
///
/// Invariants: loading is deterministic; a plan survives the JSON round trip the journal puts it
/// through unchanged, hash included.
enum RunbookFuzzTarget {
    static let catalog = StepLibrary.catalog

    static func run(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return }
        let loader = RunbookLoader(catalog: catalog)
        let runbook: Runbook
        do {
            runbook = try loader.load(text: text, file: "fuzz.yaml")
        } catch {
            // Every problem must be reportable: rendering the diagnostics must not trap.
            _ = error.description
            return
        }
        let again = try? loader.load(text: text, file: "fuzz.yaml")
        FuzzCheck.require(again?.sourceHash == runbook.sourceHash, "loading the same runbook twice differs")

        // Required parameters get a value of their kind so that planning goes past them.
        var parameters: [String: String] = [:]
        for parameter in runbook.parameters where parameter.defaultValue == nil {
            switch parameter.kind {
            case .string: parameters[parameter.name] = "fuzz"
            case .int: parameters[parameter.name] = "1"
            case .bool: parameters[parameter.name] = "true"
            case .duration: parameters[parameter.name] = "5m"
            case .timestamp: parameters[parameter.name] = "2030-01-01T00:00:00Z"
            }
        }
        let planner = RunbookPlanner(catalog: catalog)
        guard let plan = try? planner.plan(runbook, parameters: parameters) else { return }
        _ = PlanRenderer().text(plan)
        _ = PlanRenderer().json(plan)

        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(plan)
        } catch {
            FuzzCheck.fail("a plan cannot be encoded for the journal: \(error)")
        }
        let decoded = try? JSONDecoder().decode(RunbookPlan.self, from: encoded)
        FuzzCheck.require(decoded == plan, "a plan does not survive its JSON round trip")
    }
}
