import Foundation

/// What `DescribeSecret` says about a secret's versions.
public struct SecretDescription: Sendable, Equatable {
    public var arn: String?
    public var name: String?
    /// Version ID → its stage labels (versions without labels are "deprecated" and not listed).
    public var versionStages: [String: [String]]
    /// Set when the secret is scheduled for deletion.
    public var deletedDate: Date?
    public var requestId: String?

    public init(arn: String?, name: String?, versionStages: [String: [String]], deletedDate: Date? = nil, requestId: String? = nil) {
        self.arn = arn
        self.name = name
        self.versionStages = versionStages
        self.deletedDate = deletedDate
        self.requestId = requestId
    }

    /// The versions holding `stage`, sorted (AWS keeps one; moto can leave two, MOTO-FINDINGS).
    public func versions(holding stage: String) -> [String] {
        versionStages.filter { $0.value.contains(stage) }.map(\.key).sorted()
    }

    /// The one version holding `stage`, or nil when none or several do.
    public func version(holding stage: String) -> String? {
        let holders = versions(holding: stage)
        return holders.count == 1 ? holders[0] : nil
    }
}
