import Foundation

extension RunbookPlan {
    /// SHA-256 (hex) of the plan's canonical JSON — `JSONEncoder` with sorted keys, `hash` set to
    /// "" — so the same runbook text with the same parameters always gives the same hash, and any
    /// change to what would run gives another. The engine records it when a run starts.
    public func computeHash() -> String {
        var copy = self
        copy.hash = ""
        return SHA256Hex.digest(copy.canonicalJSON())
    }

    /// The canonical encoding: sorted keys, no escaped slashes, Swift's default `Date` and
    /// `Duration` forms (exact, so a decoded plan hashes the same).
    func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a plan of plain values cannot fail; an empty result would still hash distinctly.
        return (try? encoder.encode(self)) ?? Data()
    }
}
