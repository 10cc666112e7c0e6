import Foundation

/// The one format of new run IDs: `r-20261201-010000-1a2b` — `r-`, the UTC date and time of the
/// start to the second, and four lowercase hex digits. Sortable by start time, readable in a log
/// line, unique enough for one daemon (the engine draws again on a collision).
///
/// A run ID is only the name of the run's journal stream, so IDs journaled before this format was
/// the only one (`r-20261130-160008-a86`, without the zero padding) stay valid: lookups take any
/// stream name.
public enum RunID {
    /// The ID of a run started at `date`, with `suffix` as its last four hex digits.
    public static func make(at date: Date, suffix: UInt16) -> String {
        let stamp = EventTime.format(date).prefix(19).replacingOccurrences(of: "-", with: "")
            .replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "T", with: "-")
        let hex = String(suffix, radix: 16)
        return "r-\(stamp)-\(String(repeating: "0", count: 4 - hex.count))\(hex)"
    }

    /// The ID of a run started at `date`, with a random suffix.
    public static func make(at date: Date) -> String {
        var random = SystemRandomNumberGenerator()
        return make(at: date, suffix: UInt16.random(in: 0...UInt16.max, using: &random))
    }
}
