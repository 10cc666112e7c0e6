import Foundation

/// Reads a step's `with:` inputs for a `StepDefinition`, turning every problem into a located
/// diagnostic and collecting them so `expand` can report them all at once:
///
/// ```swift
/// var reader = StepInputReader(step, context: context)
/// let bucket = reader.string("bucket", required: true)
/// let wait = reader.duration("forcedWait") ?? .seconds(3600)
/// try reader.finish()
/// ```
///
/// Unknown keys and the kinds declared in `StepDefinition.inputs` are already checked by the
/// loader and planner; the reader is for what the definition itself needs.
public struct StepInputReader: Sendable {
    public let step: StepSpec
    public let context: ExpansionContext
    private var sink: DiagnosticSink

    public init(_ step: StepSpec, context: ExpansionContext) {
        self.step = step
        self.context = context
        self.sink = DiagnosticSink(file: step.location.file)
    }

    /// Everything reported so far, by position.
    public var diagnostics: [RunbookDiagnostic] { sink.sorted }

    /// The raw input `key`, or nil when the step does not give it.
    public func value(_ key: String) -> RunbookValue? { step.with?[key] }

    public mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = present(key, required: required) else { return nil }
        return sink.string(value, label(key))
    }

    public mutating func int(_ key: String, required: Bool = false) -> Int? {
        guard let value = present(key, required: required) else { return nil }
        return sink.int(value, label(key))
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = present(key, required: required) else { return nil }
        return sink.bool(value, label(key))
    }

    public mutating func duration(_ key: String, required: Bool = false) -> Duration? {
        guard let value = present(key, required: required) else { return nil }
        return sink.duration(value, label(key))
    }

    public mutating func timestamp(_ key: String, required: Bool = false) -> Date? {
        guard let value = present(key, required: required) else { return nil }
        return sink.timestamp(value, label(key))
    }

    /// An account name that the runbook declares under `accounts:`.
    public mutating func account(_ key: String, required: Bool = false) -> String? {
        guard let value = present(key, required: required) else { return nil }
        return account(at: value, label(key))
    }

    /// An account name at any value, e.g. `with.from.account`.
    public mutating func account(at value: RunbookValue, _ what: String) -> String? {
        guard let name = sink.string(value, what) else { return nil }
        let declared = context.runbook.accounts.map(\.name)
        guard declared.contains(name) else {
            sink.report(
                "undeclared-account", "\(what) names account `\(name)`, which the runbook does not declare",
                hint: AccountHints.declared(declared, near: name), at: value.location)
            return nil
        }
        return name
    }

    /// Reports a problem the definition found, at `value` (or at the step when nil).
    public mutating func report(_ code: String, _ message: String, hint: String? = nil, at value: RunbookValue?) {
        sink.report(code, message, hint: hint, at: value?.location ?? step.location)
    }

    /// Reports a problem at an explicit location.
    public mutating func report(_ code: String, _ message: String, hint: String? = nil, at location: SourceLocation) {
        sink.report(code, message, hint: hint, at: location)
    }

    /// Throws everything reported so far, if anything was.
    public func finish() throws(RunbookDiagnostics) { try sink.throwIfErrors() }

    private func label(_ key: String) -> String { "`with.\(key)` of step `\(step.id)`" }

    private mutating func present(_ key: String, required: Bool) -> RunbookValue? {
        if let value = value(key), value.kind != .null { return value }
        if required {
            sink.report(
                "missing-key", "step `\(step.id)` (\(step.uses)) needs `with.\(key)`",
                hint: "add `\(key):` under `with:`",
                at: step.with?.location ?? step.location)
        }
        return nil
    }
}

/// The "declared accounts" hint shared by every `undeclared-account` problem.
enum AccountHints {
    static func declared(_ names: [String], near name: String) -> String {
        guard !names.isEmpty else { return "this runbook declares no accounts; add them under `accounts:`" }
        let list = "declared accounts: \(Hints.list(names))"
        if let near = Hints.nearest(to: name, in: names) { return "did you mean `\(near)`? \(list)" }
        return list
    }
}
