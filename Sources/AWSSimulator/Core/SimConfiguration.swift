import Foundation

/// Behaviour settings of the simulator. Durations are simulated seconds (see `SimClock`).
public struct SimConfiguration: Sendable, Equatable {
    /// The region the simulated services live in.
    public var region: String
    /// How long S3 holds a deleted bucket's name: CreateBucket from any account gets 409
    /// `OperationAborted` meanwhile. AWS documents no fixed value (hours, up to 48–72 h, KC-409);
    /// one hour follows the observation in aws/aws-cli#2593.
    public var bucketNameHold: TimeInterval
    /// How long an AssumeRole session lasts when the request gives no `DurationSeconds`, in
    /// simulated seconds. AWS: one hour (STS API Reference, AssumeRole). Campaigns shorten it so
    /// that sessions expire, and must be refreshed, several times within one cutover; still
    /// capped by the role's `MaxSessionDuration` and the one-hour chaining limit.
    public var defaultSessionDuration: Int
    /// RDS state durations.
    public var rds: RDSTimings
    /// Seed for every random choice (request IDs, fault draws), so runs reproduce.
    public var seed: UInt64
    /// The request log keeps at most this many newest records (a benchmark run can serve
    /// hundreds of thousands of requests); sequence numbers keep counting across dropped ones.
    public var requestLogLimit: Int

    public init(
        region: String = "us-east-1", bucketNameHold: TimeInterval = 3600, rds: RDSTimings = RDSTimings(), seed: UInt64 = 1,
        requestLogLimit: Int = 200_000, defaultSessionDuration: Int = 3600
    ) {
        self.region = region
        self.bucketNameHold = bucketNameHold
        self.defaultSessionDuration = defaultSessionDuration
        self.rds = rds
        self.seed = seed
        self.requestLogLimit = max(1, requestLogLimit)
    }
}
