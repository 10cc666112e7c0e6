import Foundation
import Runbook
import Steps
import Testing

/// The committed runbook JSON Schema is exactly its hand-written structure plus what the step
/// catalog generates (`uses:` values, one `with:` schema per type). A new step type, input or
/// summary that is not in the committed file fails here; `scripts/gen-schema` rewrites the file.
@Suite struct RunbookSchemaTests {
    static let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Runbooks/schema/runbook-v1.schema.json")

    @Test func committedSchemaIsGeneratedFromTheCatalog() throws {
        let committed = try String(contentsOf: Self.schemaURL, encoding: .utf8)
        let base = try JSONDecoder().decode(JSONValue.self, from: Data(committed.utf8))
        let generated = try RunbookSchema.render(RunbookSchema.regenerating(base, catalog: StepLibrary.catalog))
        if ProcessInfo.processInfo.environment["CUTOVER_UPDATE_SCHEMA"] == "1", generated != committed {
            try generated.write(to: Self.schemaURL, atomically: true, encoding: .utf8)
        }
        #expect(generated == committed, "Runbooks/schema/runbook-v1.schema.json is stale: run scripts/gen-schema")
    }

    @Test func everyStepTypeHasAWithSchemaNamingEachInput() throws {
        let base = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: Self.schemaURL))
        let schema = RunbookSchema.regenerating(base, catalog: StepLibrary.catalog)
        for definition in StepLibrary.catalog.definitions {
            let with = try #require(schema["$defs"]?["with.\(definition.type)"], "no with: schema for \(definition.type)")
            let names = Set(with["properties"]?.objectKeys ?? [])
            #expect(names == Set(definition.inputs.map(\.name)), "\(definition.type)")
            #expect(with["additionalProperties"] == .bool(false))
        }
    }

    @Test func regeneratingTwiceChangesNothing() throws {
        let base = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: Self.schemaURL))
        let once = RunbookSchema.regenerating(base, catalog: StepLibrary.catalog)
        #expect(RunbookSchema.regenerating(once, catalog: StepLibrary.catalog) == once)
    }
}

extension JSONValue {
    fileprivate var objectKeys: [String]? {
        if case let .object(members) = self { return members.map(\.0) }
        return nil
    }
}
