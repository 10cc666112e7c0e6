/// The rates a rehearsal projects real durations with. The twin's own timings are the
/// simulator's (fixed per state, not per GiB), so what depends on size in AWS is projected from
/// the discovered size instead. Each rate says where it comes from; docs/REHEARSAL.md lists them.
///
/// AWS publishes no throughput for RDS snapshots, snapshot copies or restores ("typical
/// durations are size-dependent and not promised", AWS-NOTES §5.4): the RDS figures are planning
/// assumptions, deliberately on the slow side, to be replaced by the operator's own measurement
/// (a test snapshot and copy of the real instance) before a window is committed to.
public struct ProjectionRates: Sendable, Codable, Equatable {
    /// Objects per second of `s3.copy`: the measured bulk-copy rate (README benchmark table:
    /// 890 objects/s adaptive concurrency, 10,000 objects of 1 KiB–8 MiB, on our 2-core machine
    /// against the simulator at 20 ms per request). Real S3 latency and the partition's request
    /// rate decide the real figure.
    public var objectsPerSecond: Double = 890
    /// RDS snapshot of an instance: minutes fixed plus minutes per GiB of allocated storage
    /// (a first, full snapshot; later snapshots are incremental and faster). Assumption.
    public var snapshotFixedMinutes: Double = 5
    public var snapshotMinutesPerGiB: Double = 0.5
    /// CopyDBSnapshot of a shared snapshot in the same region (a full copy: cross-account copies
    /// are incremental only after an earlier copy with the same key, AWS-NOTES §5.2). Assumption.
    public var snapshotCopyFixedMinutes: Double = 5
    public var snapshotCopyMinutesPerGiB: Double = 1
    /// RestoreDBInstanceFromDBSnapshot until `available` (data then loads lazily: first reads are
    /// slow, AWS-NOTES §5.3). Assumption; "up to 20 minutes" for a new instance in AWS's guides.
    public var restoreFixedMinutes: Double = 15
    public var restoreMinutesPerGiB: Double = 0.1

    public init() {}

    /// One line per rate, for the report's basis section.
    public var basis: [String] {
        [
            "object copies: \(Self.number(objectsPerSecond)) objects/s, measured on our 2-core machine against the simulator "
                + "(README benchmark table, 10,000 objects of 1 KiB–8 MiB); real S3 may be faster or slower",
            "RDS snapshot: \(Self.number(snapshotFixedMinutes)) min + \(Self.number(snapshotMinutesPerGiB)) min per GiB allocated — "
                + "an assumption: AWS publishes no snapshot rate",
            "RDS snapshot copy (shared, same region, full copy): \(Self.number(snapshotCopyFixedMinutes)) min + "
                + "\(Self.number(snapshotCopyMinutesPerGiB)) min per GiB — an assumption: AWS publishes no copy rate",
            "RDS restore until available: \(Self.number(restoreFixedMinutes)) min + \(Self.number(restoreMinutesPerGiB)) min per GiB — "
                + "an assumption; data then loads lazily, so first reads are slow",
            "waits (e.g. the S3 name hold): the runbook's configured wait; AWS may hold a deleted bucket's name longer (hours, up to 48–72 h)",
            "approvals: the runbook's own estimate for people",
            "other steps: a step that retried or polled takes its simulated time on the twin; one that only made calls, the real "
                + "time those calls took against the local twin (a lower bound: AWS's latency adds to it)",
        ]
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
