import Foundation
import Runbook
import Testing

/// The engine journals the plan and rebuilds it after a crash: the round trip must be exact.
@Suite struct RunbookPlanCodableTests {
    @Test func planRoundTripsExactlyAndKeepsItsHash() throws {
        let plan = try RunbookFixtures.plan(
            PlanRendererTests.text.replacingOccurrences(
                of: "steps:\n", with: "parameters:\n  note: { type: string, default: hi }\nsteps:\n"))
        let data = try JSONEncoder().encode(plan)
        let decoded = try JSONDecoder().decode(RunbookPlan.self, from: data)
        #expect(decoded == plan)
        #expect(decoded.computeHash() == plan.hash)
        let again = try JSONEncoder().encode(decoded)
        #expect(try JSONDecoder().decode(RunbookPlan.self, from: again) == plan)
    }

    @Test func jsonValueIsPlainJSON() throws {
        let value = JSONValue.object([
            ("z", .number(1)), ("a", .array([.bool(true), .null, .string("x")])), ("m", .object([("k", .number(2.5))])),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = String(decoding: try encoder.encode(value), as: UTF8.self)
        #expect(encoded == #"{"a":[true,null,"x"],"m":{"k":2.5},"z":1}"#)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(encoded.utf8))
        #expect(decoded == value)
        #expect(decoded.hashValue == value.hashValue)
        #expect(JSONValue.object([("a", .null), ("b", .null)]) != .object([("a", .null)]))
    }
}
