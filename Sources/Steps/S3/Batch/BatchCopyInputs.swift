import Engine
import Foundation

/// What `s3.batch-copy` reads from its plan inputs: the per-object copy's inputs (`copy`, the
/// same members `s3.copy` reads, side by side with the job's in one flat object, since the step
/// hands what the job could not copy to that copy) and the job's own.
struct BatchCopyInputs: Codable, Sendable {
    /// `batch-operations` always creates a job; `auto` does so only from `threshold` objects on.
    enum Engine: String, Codable, Sendable {
        case batchOperations = "batch-operations"
        case auto
    }

    /// `from`, `to`, `mirror` (remove what the destination holds beyond the source, after the
    /// job), `concurrency`, `kmsKeyMap`, `copyAs`, … for the per-object copy.
    var copy: S3CopyInputs
    /// The bucket (in the destination account) that holds the manifest and the completion report.
    var staging: S3Location
    /// The role the job acts as, in the destination account (`batchRole`).
    var role: String
    var engine: Engine
    var threshold: Int?
    var priority: Int?

    /// The default `auto` threshold: below it a per-object copy finishes before a job has left
    /// `Preparing` (see docs/SIMULATOR.md, "S3 Batch Operations", for the measured figures).
    static let defaultThreshold = 100_000

    var from: S3Location { copy.from }
    var to: S3Location { copy.to }
    var mirror: Bool { copy.mirror ?? false }
    var objectThreshold: Int { threshold ?? Self.defaultThreshold }
    var jobPriority: Int { priority ?? 10 }

    private enum CodingKeys: String, CodingKey {
        case staging
        case role = "batchRole"
        case engine, threshold, priority
    }

    init(copy: S3CopyInputs, staging: S3Location, role: String, engine: Engine, threshold: Int?, priority: Int? = nil) {
        self.copy = copy
        self.staging = staging
        self.role = role
        self.engine = engine
        self.threshold = threshold
        self.priority = priority
    }

    init(from decoder: any Decoder) throws {
        copy = try S3CopyInputs(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        staging = try container.decode(S3Location.self, forKey: .staging)
        role = try container.decode(String.self, forKey: .role)
        engine = try container.decodeIfPresent(Engine.self, forKey: .engine) ?? .batchOperations
        threshold = try container.decodeIfPresent(Int.self, forKey: .threshold)
        priority = try container.decodeIfPresent(Int.self, forKey: .priority)
    }

    func encode(to encoder: any Encoder) throws {
        try copy.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(staging, forKey: .staging)
        try container.encode(role, forKey: .role)
        try container.encode(engine, forKey: .engine)
        try container.encodeIfPresent(threshold, forKey: .threshold)
        try container.encodeIfPresent(priority, forKey: .priority)
    }
}
