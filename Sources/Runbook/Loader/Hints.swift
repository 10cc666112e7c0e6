/// Suggestions for typos: the known word closest to what an operator wrote, when it is close
/// enough to be the word they meant.
public enum Hints {
    /// The candidate nearest to `word` by edit distance (a swap of two neighbours counts as one
    /// edit), or nil when none is within about a third of the word's length (so one- and two-letter
    /// words get no guess).
    public static func nearest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let allowed = min(4, max(word.count, best.candidate.count) / 3)
        return best.distance <= allowed ? best.candidate : nil
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and transpositions.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// `a`, `b` or `c` — for "allowed values" hints.
    static func list(_ words: [String]) -> String {
        let quoted = words.map { "`\($0)`" }
        switch quoted.count {
        case 0: return "(none)"
        case 1: return quoted[0]
        default: return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        }
    }

    /// "did you mean `x`?" or the list of what is allowed.
    static func didYouMean(_ word: String, among candidates: [String], listing what: String) -> String {
        if let near = nearest(to: word, in: candidates) { return "did you mean `\(near)`?" }
        return "\(what): \(list(candidates))"
    }
}
