import AWSServices
import Foundation
import Runbook

/// What both moves take alike, as the plan carries it: the two accounts, the target key and
/// placement, the snapshot's name and the wait's pace. The definition encodes it into every
/// primitive's inputs (`RDSMoveSettings` puts it beside what each kind takes of its own), the
/// executors decode it back — one spelling for both sides. Optional members are what the runbook
/// may leave out; the defaults are filled in here, not written into the plan.
struct RDSMoveCommonInputs: Codable, Sendable, Equatable {
    var from: String
    var to: String
    var kmsKey: String
    var subnetGroup: String
    var securityGroups: [String]
    /// For the restored instance or cluster; nil: the source's.
    var deletionProtection: Bool?
    /// The snapshot the runbook names; nil: derived from the run ID.
    var snapshot: String?
    /// The runbook's `pollInterval`, in seconds; nil: `defaultPollInterval`.
    var pollSeconds: Double?
    /// The runbook's `waitTimeout`, in seconds; nil: `defaultWaitTimeout`.
    var waitTimeoutSeconds: Double?
    /// `auto`, `create` or a key in the source account (see `shareKey`); nil or `none`: the
    /// snapshot is shared as it is. The definition always writes it (`auto` when the runbook says
    /// nothing), so a plan made before `auto` existed keeps its meaning.
    var sourceShareKey: String?
    /// The pending window when the run's own share key is scheduled for deletion (7–30 days); nil: KMS's default.
    var shareKeyDeletionDaysInput: Int?

    /// botocore's interval for RDS waiters.
    static let defaultPollInterval: Duration = .seconds(30)
    /// Not botocore's 30 minutes: copying or restoring a large database takes hours.
    static let defaultWaitTimeout: Duration = .seconds(12 * 3600)

    enum CodingKeys: String, CodingKey {
        case from, to, kmsKey, subnetGroup, securityGroups, deletionProtection, snapshot, pollSeconds, waitTimeoutSeconds, sourceShareKey
        case shareKeyDeletionDaysInput = "shareKeyDeletionDays"
    }

    var pollInterval: Duration { pollSeconds.map { .milliseconds(Int64($0 * 1000)) } ?? Self.defaultPollInterval }
    var waitTimeout: Duration { waitTimeoutSeconds.map { .milliseconds(Int64($0 * 1000)) } ?? Self.defaultWaitTimeout }
    /// How the snapshot is made shareable when its key cannot be shared (`aws/rds`): nil, the
    /// snapshot is shared as it is; `.auto`, the preflight decides; `.create`, the run creates a
    /// key for the copy it shares; `.named`, a customer managed key in the source account.
    var shareKey: RDSShareKeyChoice? { sourceShareKey.flatMap(RDSShareKeyChoice.parse) }
    var shareKeyDeletionDays: Int { shareKeyDeletionDaysInput ?? KMSKeyDeletion.defaultWindow }
}

extension RDSMoveCommonInputs {
    /// In an extension, so the memberwise initializer stays: the definition builds the inputs with it.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        from = try container.decodeNonEmpty(.from)
        to = try container.decodeNonEmpty(.to)
        kmsKey = try container.decodeNonEmpty(.kmsKey)
        subnetGroup = try container.decodeNonEmpty(.subnetGroup)
        securityGroups = try container.decodeIfPresent([String].self, forKey: .securityGroups) ?? []
        deletionProtection = try container.decodeIfPresent(Bool.self, forKey: .deletionProtection)
        snapshot = try container.decodeIfPresent(String.self, forKey: .snapshot)
        pollSeconds = try container.decodeIfPresent(Double.self, forKey: .pollSeconds)
        waitTimeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .waitTimeoutSeconds)
        sourceShareKey = try container.decodeIfPresent(String.self, forKey: .sourceShareKey)
        shareKeyDeletionDaysInput = try container.decodeIfPresent(Int.self, forKey: .shareKeyDeletionDaysInput)
    }
}

extension KeyedDecodingContainer {
    /// A required text input: missing or empty means the plan is not this code's (re-plan).
    func decodeNonEmpty(_ key: Key) throws -> String {
        let value = try decode(String.self, forKey: key)
        guard !value.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "it is empty; re-plan the runbook")
        }
        return value
    }
}
