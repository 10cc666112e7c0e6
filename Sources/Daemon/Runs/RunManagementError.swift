import Engine
import Runbook

/// Why the daemon did not start, continue or find a run. Domain reasons only: the control API
/// (`ControlFailure.init(_:)`) decides which HTTP status each gets.
public enum RunManagementError: Error, Sendable, CustomStringConvertible {
    /// cutoverd is stopping; nothing new starts or continues until it restarts.
    case shuttingDown(String)
    /// The runbook or its parameters changed since the operator reviewed the plan.
    case planChanged(expected: String, actual: String)
    /// The runbook does not load or plan.
    case runbookInvalid(RunbookDiagnostics, file: String)
    /// The engine refused (unknown run, unknown step type, journal unavailable, …).
    case engine(EngineError)
    /// A run stopped by a journal refusal cannot continue: the journal still refuses (or cannot
    /// be read back); the message says what to do.
    case journalStillUnavailable(String)

    public var description: String {
        switch self {
        case let .shuttingDown(message), let .journalStillUnavailable(message): return message
        case let .planChanged(expected, actual):
            return "the plan is \(actual.prefix(12)), not the \(expected.prefix(12)) you reviewed: the runbook or its parameters "
                + "changed; review `cutoverctl plan` again"
        case let .runbookInvalid(diagnostics, file):
            return "\(file) has \(diagnostics.errors.count) error\(diagnostics.errors.count == 1 ? "" : "s"); nothing was started"
        case let .engine(error): return error.message
        }
    }
}
