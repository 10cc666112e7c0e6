/// What an operator may choose for a step that waits for a decision (`onFailure: decide`, a
/// projection past its window, an attempt of unknown outcome). The engine acts on the options it
/// knows by their case, never by comparing text; a step type may offer an option of its own (an
/// option with its own retry policy, `PrimitiveTemplate.decisionRetries`), which is `other`.
/// Plans, journals and the control API carry the option's text (`rawValue`), unchanged.
public enum DecisionOption: Hashable, Sendable {
    /// Try the step again under its retry policy.
    case retry
    /// Roll the run back from here.
    case rollback
    /// Pause the run; an operator resumes it.
    case pause
    /// Cancel the run.
    case cancel
    /// Go on although the projection says the window will be overrun.
    case proceed
    /// The operator verified by hand that an attempt of unknown outcome took effect.
    case markDone
    /// A wait that met its time limit looks again, with no limit (`ecs.wait-deployment`).
    case keepWaiting
    /// Delete the share copy although it is the last copy of its point in time (`rds.move-*`).
    case deleteLastCopy
    /// Retry under the step's own slower policy (`s3.move-bucket`'s bucket re-creation).
    case slowRetry
    /// An option a step type defines and the engine does not act on by name. Built from text
    /// with `init(rawValue:)`, which gives the known options their own case.
    case other(String)

    /// The options every decision offers, whatever the step adds.
    public static let always: [DecisionOption] = [.retry, .rollback]
}

extension DecisionOption: RawRepresentable, CustomStringConvertible {
    private static let known: [DecisionOption] = [
        .retry, .rollback, .pause, .cancel, .proceed, .markDone, .keepWaiting, .deleteLastCopy, .slowRetry,
    ]

    public init(rawValue: String) {
        self = Self.known.first { $0.rawValue == rawValue } ?? .other(rawValue)
    }

    public var rawValue: String {
        switch self {
        case .retry: "retry"
        case .rollback: "rollback"
        case .pause: "pause"
        case .cancel: "cancel"
        case .proceed: "proceed"
        case .markDone: "mark-done"
        case .keepWaiting: "keep-waiting"
        case .deleteLastCopy: "delete-last-copy"
        case .slowRetry: "slow-retry"
        case .other(let text): text
        }
    }

    public var description: String { rawValue }
}

extension DecisionOption: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
}

/// Encoded as its text, also as a dictionary key (`decisionRetries`), so plans and journals read
/// as before.
extension DecisionOption: Codable, CodingKeyRepresentable {
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var codingKey: any CodingKey { DecisionOptionKey(stringValue: rawValue) }

    public init?<T: CodingKey>(codingKey: T) { self.init(rawValue: codingKey.stringValue) }
}

private struct DecisionOptionKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
