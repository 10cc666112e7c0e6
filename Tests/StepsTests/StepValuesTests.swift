import Engine
import Foundation
import Runbook
import TestSupport
import Testing

/// Typed step contracts (issue 16 item 4): inputs round-trip through the plan's JSON, outputs reach
/// the journal in one format, and an input that does not fit fails the step with `InvalidInputs`
/// naming it, instead of a default silently taking its place.
@Suite struct StepValuesTests {
    struct Inputs: Codable, Sendable, Equatable {
        var bucket: String
        var count: Int
        var deadline: Date
        var note: String?
    }

    struct Outputs: Encodable, Sendable {
        var endpoint: String
        var port: Int
        var ratio: Double
        var ready: Bool
        var at: Date
        var missing: String?
        var members: [String]
    }

    @Test func inputsRoundTripThroughThePlansJSON() throws {
        let deadline = try #require(RunbookTimestamp.parse("2031-05-04T03:02:01Z"))
        let inputs = Inputs(bucket: "admin-images", count: 3, deadline: deadline, note: nil)
        let json = try StepValues.encode(inputs)
        #expect(json["deadline"] == .string("2031-05-04T03:02:01Z"))
        #expect(json["note"] == nil, "an absent optional is left out, not null")
        #expect(try StepValues.decode(Inputs.self, from: json) == inputs)
    }

    @Test func outputsAreTextInOneFormat() throws {
        let at = try #require(RunbookTimestamp.parse("2031-05-04T12:00:00+09:00"))
        let outputs = try StepValues.outputs(
            Outputs(
                endpoint: "admin-db.x.rds.amazonaws.com", port: 3306, ratio: 0.25, ready: true, at: at, missing: nil,
                members: ["a", "b"]))
        #expect(
            outputs == [
                "endpoint": "admin-db.x.rds.amazonaws.com", "port": "3306", "ratio": "0.25", "ready": "true",
                "at": "2031-05-04T03:00:00Z", "members": #"["a","b"]"#,
            ])
    }

    @Test func anInputThatDoesNotFitIsNamed() throws {
        let json: JSONValue = .object([
            ("bucket", .string("b")), ("count", .string("three")), ("deadline", .string("2031-05-04T03:02:01Z")),
        ])
        #expect(throws: (any Error).self) { try StepValues.decode(Inputs.self, from: json) }
        do {
            _ = try StepValues.decode(Inputs.self, from: json)
        } catch {
            #expect(StepValues.describe(error).contains("`count`"))
        }
        let missing: JSONValue = .object([("bucket", .string("b")), ("count", .number(1))])
        do {
            _ = try StepValues.decode(Inputs.self, from: missing)
            Issue.record("a missing deadline decoded")
        } catch {
            #expect(StepValues.describe(error) == "input `deadline` is missing")
        }
    }

    /// The engine's view: a typed step whose plan lacks an input fails with `InvalidInputs`.
    struct Typed: TypedStep {
        func run(_ inputs: Inputs, _ context: StepContext) async throws -> TypedStepResult<Outputs> {
            .done(Outputs(endpoint: inputs.bucket, port: inputs.count, ratio: 1, ready: true, at: inputs.deadline, members: []))
        }
        func check(_ context: StepContext) async throws -> CheckResult { .notDone }
    }

    @Test func aTypedStepRunsAndFailsOnBadInputsThroughTheEngine() async throws {
        var plan = TestPlan()
        plan.add(
            "good", type: "test.typed",
            inputs: [("bucket", .string("b")), ("count", .number(2)), ("deadline", .string("2031-05-04T03:02:01Z"))])
        plan.add("bad", type: "test.typed", inputs: [("bucket", .string("b"))])
        let fixture = try EngineFixture()
        fixture.registry.register("test.typed", Typed())
        try fixture.reopen()
        let run = try await fixture.start(plan.build(name: "typed"))
        _ = await fixture.driver.drive(run)
        let state = await run.state
        #expect(state.steps["good"]?.outputs["port"] == "2")
        #expect(state.steps["good"]?.outputs["at"] == "2031-05-04T03:02:01Z")
        #expect(state.steps["bad"]?.lastError?.code == "InvalidInputs")
        #expect(state.steps["bad"]?.lastError?.message.contains("`count` is missing") == true)
    }
}

/// `OrderedJSON` members keep their member order through `StepValues`, wherever they sit.
@Suite struct OrderedJSONTests {
    struct Inner: Codable, Sendable { var body: OrderedJSON }
    struct Outer: Codable, Sendable {
        var name: String
        var parameters: OrderedJSON
        var nested: [Inner]
        var optional: Inner?
    }

    static let unsorted: JSONValue = .object([
        ("zeta", .number(1)), ("alpha", .object([("y", .bool(true)), ("b", .null)])),
        ("mid", .array([.object([("q", .string("1")), ("a", .string("2"))])])),
    ])

    static func keys(_ value: JSONValue?) -> [String] {
        guard case .object(let members)? = value else { return [] }
        return members.map(\.0)
    }

    @Test func orderSurvivesEncodeAndDecode() throws {
        let outer = Outer(
            name: "x", parameters: OrderedJSON(Self.unsorted), nested: [Inner(body: OrderedJSON(Self.unsorted))],
            optional: Inner(body: OrderedJSON(Self.unsorted)))
        let json = try StepValues.encode(outer)
        #expect(Self.keys(json) == ["name", "nested", "optional", "parameters"], "the rest is sorted as before")
        for value in [json["parameters"], json["nested"]?.arrayValue?.first?["body"], json["optional"]?["body"]] {
            #expect(Self.keys(value) == ["zeta", "alpha", "mid"])
            #expect(Self.keys(value?["alpha"]) == ["y", "b"])
            #expect(Self.keys(value?["mid"]?.arrayValue?.first) == ["q", "a"])
        }
        let decoded = try StepValues.decode(Outer.self, from: json)
        for value in [decoded.parameters.value, decoded.nested[0].body.value, try #require(decoded.optional).body.value] {
            #expect(Self.keys(value) == ["zeta", "alpha", "mid"])
            #expect(Self.keys(value["mid"]?.arrayValue?.first) == ["q", "a"])
        }
        // Plain Foundation coding, by contrast, sorts: the reason for OrderedJSON.
        let plain = try JSONDecoder().decode(OrderedJSON.self, from: JSONEncoder().encode(OrderedJSON(Self.unsorted)))
        #expect(Self.keys(plain.value) == ["alpha", "mid", "zeta"])
    }
}
