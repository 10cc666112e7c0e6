/// Verifies hash chains offline: pure, no database, no clock. `cutoverctl audit verify` and tests
/// use it on records read from a store or an exported bundle.
///
/// What it proves: every record's content matches its hash; each stream's records link to each
/// other from the genesis on, with no record removed, inserted, changed or reordered in between.
/// What it cannot prove: that records were not cut off the end of a stream (or of the journal) —
/// a shorter, consistent chain verifies. Signed checkpoints (Ed25519) close that gap.
public enum JournalVerifier {
    /// Checks `records`, in the order given, which must be commit order. With `.streams` coverage
    /// (the default) each stream present must be complete from #1, but global sequence numbers may
    /// skip records of other streams; `.wholeJournal` also requires them to run 1, 2, 3, ….
    public static func verify(_ records: [JournalRecord], coverage: ChainVerifier.Coverage = .streams) -> ChainReport {
        var verifier = ChainVerifier(coverage: coverage)
        for record in records where !verifier.check(record) { break }
        return verifier.report
    }
}
