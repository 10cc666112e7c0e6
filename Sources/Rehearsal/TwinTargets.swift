import Runbook

/// What a runbook touches, read from its plan: the buckets, databases and keys whose twins a
/// rehearsal needs, each with the runbook account it lives in. Read from the primitives' inputs,
/// which name every resource explicitly (composite steps have already been expanded), so a new
/// step type that names a bucket as `{account, bucket}` is covered without a change here.
public struct TwinTargets: Sendable, Equatable {
    public struct Resource: Sendable, Hashable, Comparable {
        /// The runbook's account label (`legacy`).
        public var account: String
        public var name: String

        public static func < (a: Resource, b: Resource) -> Bool { (a.account, a.name) < (b.account, b.name) }
    }

    public var buckets: Set<Resource> = []
    public var dbInstances: Set<Resource> = []
    public var dbClusters: Set<Resource> = []
    /// Keys named by the runbook (a target's `kmsKey`, a `kmsKeyMap` value), by alias or ARN.
    public var kmsKeys: Set<Resource> = []
    /// DB subnet groups and VPC security groups the restore names, in the target account.
    public var subnetGroups: Set<Resource> = []
    public var securityGroups: Set<Resource> = []

    public init(plan: RunbookPlan) {
        for step in plan.steps {
            collect(step.inputs, stepAccount: step.account)
        }
    }

    private mutating func collect(_ inputs: JSONValue, stepAccount: String?) {
        guard case let .object(members) = inputs else { return }
        let fields = Dictionary(members, uniquingKeysWith: { a, _ in a })
        let account = fields["account"]?.stringValue ?? stepAccount
        if let bucket = fields["bucket"]?.stringValue, let account {
            buckets.insert(Resource(account: account, name: bucket))
        }
        // The RDS moves: the source in `from`, what the restore needs in `to`.
        let from = fields["from"]?.stringValue
        let to = fields["to"]?.stringValue
        if let instance = fields["instance"]?.stringValue, let from { dbInstances.insert(Resource(account: from, name: instance)) }
        if let cluster = fields["cluster"]?.stringValue, let from { dbClusters.insert(Resource(account: from, name: cluster)) }
        if let key = fields["kmsKey"]?.stringValue, let to { kmsKeys.insert(Resource(account: to, name: key)) }
        if let group = fields["subnetGroup"]?.stringValue, let to { subnetGroups.insert(Resource(account: to, name: group)) }
        if case let .array(groups)? = fields["securityGroups"], let to {
            for group in groups.compactMap(\.stringValue) { securityGroups.insert(Resource(account: to, name: group)) }
        }
        for (_, value) in members {
            switch value {
            case .object: collect(value, stepAccount: account)
            default: continue
            }
        }
    }

    /// Every runbook account something is discovered in.
    public var accounts: Set<String> {
        Set((buckets.union(dbInstances).union(dbClusters).union(kmsKeys)).map(\.account))
    }
}
