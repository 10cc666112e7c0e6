/// Durations as runbooks write them: `250ms`, `10s`, `5m`, `1h`, `2d`, and combinations such as
/// `1h30m` or `1h 30m`. No fractions and no signs: a wait or a timeout is never negative, and an
/// operator reading `1h30m` at 3 a.m. should not have to work out what `1.5h` rounds to.
public enum RunbookDuration {
    /// The forms `parse` accepts, for hints.
    public static let acceptedForms =
        "a whole number with a unit: ms, s, m, h or d (`250ms`, `10s`, `5m`, `1h30m`, `2d`)"

    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Parses a runbook duration; nil for anything else (empty, negative, fractional, an unknown
    /// unit, a unit given twice, or a value too large to represent).
    public static func parse(_ text: String) -> Duration? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var total: Int64 = 0
        var seenUnits: Set<String> = []
        var components = 0

        func skipSpaces() {
            while index < scalars.count, scalars[index] == " " { index += 1 }
        }

        skipSpaces()
        while index < scalars.count {
            var digits = ""
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                digits.unicodeScalars.append(scalars[index])
                index += 1
            }
            var unit = ""
            while index < scalars.count, ("a"..."z").contains(scalars[index]) {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !digits.isEmpty, digits.count <= 15, let value = Int64(digits),
                let factor = units.first(where: { $0.suffix == unit })?.milliseconds,
                seenUnits.insert(unit).inserted
            else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            let (sum, overflowSum) = total.addingReportingOverflow(product)
            guard !overflowSum else { return nil }
            total = sum
            components += 1
            skipSpaces()
        }
        guard components > 0 else { return nil }
        return .milliseconds(total)
    }

    /// The shortest runbook form of `duration`, largest unit first: `1h30m`, `10s`, `0s`, `250ms`.
    /// Sub-millisecond parts are dropped; negative durations render with a leading `-`.
    public static func format(_ duration: Duration) -> String {
        let components = duration.components
        var milliseconds = components.seconds * 1_000 + components.attoseconds / 1_000_000_000_000_000
        guard milliseconds != 0 else { return "0s" }
        var text = ""
        if milliseconds < 0 {
            text = "-"
            milliseconds = -milliseconds
        }
        for (suffix, factor) in units.reversed() where milliseconds >= factor {
            text += "\(milliseconds / factor)\(suffix)"
            milliseconds %= factor
        }
        return text
    }
}
