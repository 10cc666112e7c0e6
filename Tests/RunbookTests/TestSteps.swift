import Runbook

/// A composite for tests: copies a thing to the target, deletes the source (irreversible), then
/// verifies (any time). Three primitives, the way `s3.move-bucket` expands.
struct MoveThingStep: StepDefinition {
    var type: String { "test.move-thing" }
    var summary: String { "Move a thing between accounts (test composite)." }
    var outputs: [StepOutput] {
        [
            StepOutput("location", from: .primitive("verify", key: "location")), StepOutput("thing", from: .input("thing")),
            StepOutput("region", from: .region),
        ]
    }
    var inputs: [StepInput] {
        [
            StepInput("thing", .string, required: true), StepInput("from", .account, required: true),
            StepInput("to", .account, required: true), StepInput("options", .mapping),
            StepInput("pause", .duration),
        ]
    }

    func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let thing = reader.string("thing", required: true) ?? ""
        let from = reader.account("from", required: true)
        let to = reader.account("to", required: true)
        let pause = reader.duration("pause") ?? .seconds(60)
        try reader.finish()
        return [
            PrimitiveTemplate(
                name: "copy", type: "test.copy", title: "Copy \(thing) to \(to ?? "?")", account: to,
                effect: .mutating, reversibility: .reversible, estimatedDuration: pause,
                inputs: .object([("thing", .string(thing))])),
            PrimitiveTemplate(
                name: "delete-source", type: "test.delete", title: "Delete \(thing) in \(from ?? "?")", account: from,
                effect: .mutating, reversibility: .irreversible, estimatedDuration: .seconds(30),
                inputs: .object([("thing", .string(thing))])),
            PrimitiveTemplate(
                name: "verify", type: "test.verify", title: "Verify \(thing)", account: to, effect: .readOnly,
                reversibility: .nothingToUndo, estimatedDuration: .seconds(10),
                retry: RetryPolicy(backoff: .fixed(interval: .seconds(10)), maxElapsed: .seconds(300)),
                onFailure: .decide, decisionOptions: ["slow-retry"], window: .any),
        ]
    }
}

/// A single mutating, reversible primitive in one account.
struct TouchStep: StepDefinition {
    var type: String { "test.touch" }
    var summary: String { "Touch something in an account (test primitive)." }
    var outputs: [StepOutput] { [StepOutput("resource", from: .primitive(nil, key: "resource"))] }
    var inputs: [StepInput] {
        [StepInput("name", .string, required: true), StepInput("account", .account, required: true)]
    }

    func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] {
        var reader = StepInputReader(step, context: context)
        let name = reader.string("name", required: true) ?? ""
        let account = reader.account("account", required: true)
        try reader.finish()
        return [
            PrimitiveTemplate(
                type: "test.touch", title: "Touch \(name)", account: account, effect: .mutating,
                reversibility: .reversible, inputs: .object([("name", .string(name))]))
        ]
    }
}

/// Stands in for issue 5's `s3.move-bucket` so hints can name it.
struct FakeMoveBucketStep: StepDefinition {
    var type: String { "s3.move-bucket" }
    var summary: String { "Stand-in." }
    var inputs: [StepInput] { [] }
    func expand(_ step: StepSpec, in context: ExpansionContext) throws(RunbookDiagnostics) -> [PrimitiveTemplate] { [] }
}

enum TestCatalog {
    static let catalog = StepCatalog.builtin.adding([MoveThingStep(), TouchStep(), FakeMoveBucketStep()])
}
