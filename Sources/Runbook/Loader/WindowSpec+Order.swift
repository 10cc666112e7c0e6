import Foundation

extension WindowSpec {
    /// Whether `end` is after `start`; reports `bad-window` at `location` when it is not (at load
    /// time for written timestamps, at plan time for parameters).
    static func isOrdered(_ start: Date, _ end: Date, sink: inout DiagnosticSink, at location: SourceLocation) -> Bool {
        guard end <= start else { return true }
        sink.report(
            "bad-window",
            "the window ends (\(RunbookTimestamp.format(end))) before it starts (\(RunbookTimestamp.format(start)))",
            hint: "`end` must be later than `start`; check the date and the UTC offset", at: location)
        return false
    }
}
