import Foundation

/// The runbook JSON Schema's step part, generated from the step catalog: the list of `uses:`
/// values and, per value, a schema of its `with:` keys (names, kinds, required keys, each key's
/// summary), so an editor completes and checks step inputs as it completes the runbook's own keys.
///
/// The rest of the schema (the runbook's structure: accounts, window, approvals, retry, the step
/// list) is written by hand in `Runbooks/schema/runbook-v1.schema.json` and changes rarely;
/// `regenerating(_:catalog:)` replaces only the generated parts, so the committed file is always
/// "hand-written structure + this catalog", and a test holds it to that.
public enum RunbookSchema {
    /// `$defs` entries the generator owns are named `with.<type>`.
    static let withPrefix = "with."

    /// `base` with its generated parts replaced by those of `catalog`: the step's `uses` enum, the
    /// `allOf` that picks a `with:` schema by `uses:` value, and one `$defs/with.<type>` per type.
    public static func regenerating(_ base: JSONValue, catalog: StepCatalog) -> JSONValue {
        var schema = base
        var defs = schema["$defs"]?.members ?? []
        defs.removeAll { $0.0.hasPrefix(withPrefix) }
        for definition in catalog.definitions {
            defs.append((withPrefix + definition.type, withSchema(for: definition)))
        }
        var step = defs.first { $0.0 == "step" }?.1.members ?? []
        var properties = step.first { $0.0 == "properties" }?.1.members ?? []
        var uses = properties.first { $0.0 == "uses" }?.1.members ?? []
        uses.removeAll { ["examples", "enum", "oneOf", "anyOf", "pattern"].contains($0.0) }
        uses.replace("description", with: .string("The step type; `cutoverctl validate` names the nearest when it is misspelt."))
        uses.replace(
            "anyOf",
            with: .array(
                catalog.definitions.map {
                    .object([("const", .string($0.type)), ("description", .string($0.summary))])
                }))
        properties.replace("uses", with: .object(uses))
        step.replace("properties", with: .object(properties))
        step.replace(
            "allOf",
            with: .array(
                catalog.definitions.map { definition in
                    .object([
                        ("if", .object([("properties", .object([("uses", .object([("const", .string(definition.type))]))]))])),
                        (
                            "then",
                            .object([
                                ("properties", .object([("with", .object([("$ref", .string("#/$defs/\(withPrefix)\(definition.type)"))]))]))
                            ])
                        ),
                    ])
                }))
        defs.replace("step", with: .object(step))
        defs.replace("interpolation", with: interpolation)
        schema = schema.replacing("$defs", with: .object(defs))
        return schema
    }

    /// The schema of one type's `with:` mapping: its keys and nothing else, each of its kind.
    public static func withSchema(for definition: any StepDefinition) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("type", .string("object")),
            ("description", .string("`\(definition.type)`: \(definition.summary)")),
            ("additionalProperties", .bool(false)),
            ("properties", .object(definition.inputs.map { ($0.name, valueSchema($0)) })),
        ]
        let required = definition.inputs.filter(\.required).map { JSONValue.string($0.name) }
        if !required.isEmpty { members.append(("required", .array(required))) }
        return .object(members)
    }

    /// One key's value: its kind, or a `${params.NAME}` / `${steps.ID.outputs.NAME}` reference that
    /// the planner resolves (a whole-value reference may stand where a number or duration goes).
    static func valueSchema(_ input: StepInput) -> JSONValue {
        let kind: JSONValue
        switch input.kind {
        case .string, .account: kind = .object([("type", .string("string"))])
        case .int: kind = .object([("type", .string("integer"))])
        case .bool: kind = .object([("type", .string("boolean"))])
        case .duration: kind = .object([("$ref", .string("#/$defs/duration"))])
        case .list: kind = .object([("type", .string("array"))])
        case .mapping: kind = .object([("type", .string("object"))])
        }
        var members: [(String, JSONValue)] = []
        switch input.kind {
        case .string, .account: members = kind.members ?? []
        default: members = [("anyOf", .array([kind, .object([("$ref", .string("#/$defs/interpolation"))])]))]
        }
        if !input.summary.isEmpty { members.append(("description", .string(input.summary))) }
        return .object(members)
    }

    static let interpolation: JSONValue = .object([
        ("type", .string("string")),
        ("pattern", .string(#"^\$\{(params\.[A-Za-z0-9_-]+|steps\.[a-z0-9_-]+\.outputs\.[A-Za-z0-9_-]+)\}$"#)),
        (
            "description",
            .string("A whole-value reference resolved by the planner or at run time: `${params.NAME}` or `${steps.ID.outputs.NAME}`.")
        ),
    ])

    /// The schema as committed: keys sorted, two-space indentation, a final newline.
    public static func render(_ schema: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(schema), as: UTF8.self) + "\n"
    }
}

extension JSONValue {
    /// The members of an object, or nil.
    var members: [(String, JSONValue)]? {
        if case let .object(members) = self { return members }
        return nil
    }

    fileprivate func replacing(_ key: String, with value: JSONValue) -> JSONValue {
        var members = self.members ?? []
        members.replace(key, with: value)
        return .object(members)
    }
}

extension Array where Element == (String, JSONValue) {
    /// Sets member `key` to `value`, keeping its place, or appends it.
    fileprivate mutating func replace(_ key: String, with value: JSONValue) {
        if let index = firstIndex(where: { $0.0 == key }) { self[index].1 = value } else { append((key, value)) }
    }
}
