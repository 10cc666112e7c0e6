import Foundation

/// The simulated RDS API (Query protocol, version 2014-10-31): instances, snapshots and Aurora
/// clusters moving through real states on the simulator's clock, and the cross-account snapshot
/// path — share, copy by ARN, restore — with the refusals real RDS gives and moto does not
/// (MOTO-NOTES §4 and "Gaps" 2, 3, 12).
///
/// Operations are those `RDSClient` calls: DescribeDBInstances, CreateDBInstance,
/// RestoreDBInstanceFromDBSnapshot, DeleteDBInstance, AddTagsToResource, CreateDBSnapshot,
/// DescribeDBSnapshots, ModifyDBSnapshotAttribute, DescribeDBSnapshotAttributes, CopyDBSnapshot,
/// DeleteDBSnapshot, and for Aurora DescribeDBClusters, CreateDBCluster, CreateDBClusterSnapshot,
/// DescribeDBClusterSnapshots, ModifyDBClusterSnapshotAttribute,
/// DescribeDBClusterSnapshotAttributes, CopyDBClusterSnapshot, RestoreDBClusterFromSnapshot, and
/// the read-only placement lookups DescribeDBSubnetGroups and DescribeDBParameterGroups, and
/// option groups (DescribeOptionGroups, CreateOptionGroup; restores checked against the
/// snapshot's persistent and permanent options).
public struct RDSService: SimService {
    public init() {}

    public var signingName: String { "rds" }

    static let namespace = "http://rds.amazonaws.com/doc/2014-10-31/"

    static let operations: Set<String> = [
        "DescribeDBInstances", "CreateDBInstance", "RestoreDBInstanceFromDBSnapshot", "DeleteDBInstance", "AddTagsToResource",
        "CreateDBSnapshot", "DescribeDBSnapshots", "ModifyDBSnapshotAttribute", "DescribeDBSnapshotAttributes", "CopyDBSnapshot",
        "DeleteDBSnapshot", "DescribeDBClusters", "CreateDBCluster", "CreateDBClusterSnapshot", "DescribeDBClusterSnapshots",
        "ModifyDBClusterSnapshotAttribute", "DescribeDBClusterSnapshotAttributes", "CopyDBClusterSnapshot",
        "RestoreDBClusterFromSnapshot", "DescribeDBSubnetGroups", "DescribeDBParameterGroups", "DeleteDBCluster",
        "DeleteDBClusterSnapshot", "DescribeDBClusterParameterGroups", "DescribeOptionGroups", "CreateOptionGroup",
    ]

    public func operation(of request: SimRequest) -> String? {
        guard let action = RDSParameters(request).action, Self.operations.contains(action) else { return nil }
        return action
    }

    public func handle(
        _ request: SimRequest, operation: String, context: inout SimCallContext, state: inout SimState
    ) throws(SimError) -> SimResponse {
        let p = RDSParameters(request)
        var call = RDSCall(parameters: p, context: context)
        var w = QueryXMLWriter()
        switch operation {
        case "DescribeDBInstances": try describeDBInstances(&call, &state, &w)
        case "CreateDBInstance": try createDBInstance(&call, &state, &w)
        case "RestoreDBInstanceFromDBSnapshot": try restoreDBInstanceFromDBSnapshot(&call, &state, &w)
        case "DeleteDBInstance": try deleteDBInstance(&call, &state, &w)
        case "AddTagsToResource": try addTagsToResource(&call, &state, &w)
        case "CreateDBSnapshot": try createSnapshot(.instance, &call, &state, &w)
        case "DescribeDBSnapshots": try describeSnapshots(.instance, &call, &state, &w)
        case "ModifyDBSnapshotAttribute": try modifySnapshotAttribute(.instance, &call, &state, &w)
        case "DescribeDBSnapshotAttributes": try describeSnapshotAttributes(.instance, &call, &state, &w)
        case "CopyDBSnapshot": try copySnapshot(.instance, &call, &state, &w)
        case "DeleteDBSnapshot": try deleteSnapshot(.instance, &call, &state, &w)
        case "DescribeDBClusters": try describeDBClusters(&call, &state, &w)
        case "CreateDBCluster": try createDBCluster(&call, &state, &w)
        case "CreateDBClusterSnapshot": try createSnapshot(.cluster, &call, &state, &w)
        case "DescribeDBClusterSnapshots": try describeSnapshots(.cluster, &call, &state, &w)
        case "ModifyDBClusterSnapshotAttribute": try modifySnapshotAttribute(.cluster, &call, &state, &w)
        case "DescribeDBClusterSnapshotAttributes": try describeSnapshotAttributes(.cluster, &call, &state, &w)
        case "CopyDBClusterSnapshot": try copySnapshot(.cluster, &call, &state, &w)
        case "RestoreDBClusterFromSnapshot": try restoreDBClusterFromSnapshot(&call, &state, &w)
        case "DescribeDBSubnetGroups": try describeDBSubnetGroups(&call, &state, &w)
        case "DescribeDBParameterGroups": try describeDBParameterGroups(&call, &state, &w)
        case "DeleteDBCluster": try deleteDBCluster(&call, &state, &w)
        case "DeleteDBClusterSnapshot": try deleteSnapshot(.cluster, &call, &state, &w)
        case "DescribeDBClusterParameterGroups": try describeDBClusterParameterGroups(&call, &state, &w)
        case "DescribeOptionGroups": try describeOptionGroups(&call, &state, &w)
        case "CreateOptionGroup": try createOptionGroup(&call, &state, &w)
        default: throw SimError("InvalidAction", "The action \(operation) is not valid for this web service.", status: 400)
        }
        context.resource = call.context.resource
        context.mutated = call.context.mutated
        return Self.envelope(operation, result: w.text, requestId: context.requestId)
    }

    /// `<ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`,
    /// what `AWSErrorDecoder` reads for Query services.
    public func render(_ error: SimError, requestId: String) -> SimResponse {
        QueryDocument.error(error, namespace: Self.namespace, requestId: requestId)
    }

    static func envelope(_ action: String, result: String, requestId: String) -> SimResponse {
        // AddTagsToResource has no result element (BC-RDS: no output shape).
        QueryDocument.response(action, result: action == "AddTagsToResource" ? nil : result, namespace: namespace, requestId: requestId)
    }

}

/// One RDS call in progress: its parameters, and the context the handler reports back into.
struct RDSCall {
    let p: RDSParameters
    var context: SimCallContext

    init(parameters: RDSParameters, context: SimCallContext) {
        self.p = parameters
        self.context = context
    }

    var account: String { context.principal.account }
    var region: String { context.region }
    var now: Date { context.now }
    var timings: RDSTimings { context.configuration.rds }

    /// The caller's own ARN for `reference` (an identifier, or an ARN of any account).
    func arn(_ reference: String, type: String) -> RDSArn? { RDSArn.of(reference, type: type, account: account, region: region) }

    /// A new identifier, checked as RDS checks it and lower-cased as RDS stores it: 1–`max`
    /// letters, digits and hyphens, starting with a letter, no trailing or double hyphen.
    func identifier(_ name: String, max: Int = 63) throws(SimError) -> String {
        let value = try p.required(name)
        let ok =
            value.count <= max && value.first?.isLetter == true && value.last != "-" && !value.contains("--")
            && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard ok else {
            throw RDSErrors.invalidValue(
                "The parameter \(name) is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens."
            )
        }
        return value.lowercased()
    }

    /// `MaxRecords` (20–100, default 100) and `Marker` applied to `items`.
    func page<T>(_ items: [T]) throws(SimError) -> (items: ArraySlice<T>, marker: String?) {
        let max = try p.int("MaxRecords") ?? 100
        guard (20...100).contains(max) else {
            throw RDSErrors.invalidValue("Invalid value \(max) for MaxRecords. Must be between 20 and 100")
        }
        var start = 0
        if let marker = p.string("Marker") {
            guard let offset = Int(marker), (0...items.count).contains(offset) else {
                throw RDSErrors.invalidValue("Invalid marker: \(marker)")
            }
            start = offset
        }
        let end = min(items.count, start + max)
        return (items[start..<end], end < items.count ? String(end) : nil)
    }

    /// A KmsKeyId parameter the caller may use for RDS storage: any of the four KMS references,
    /// resolved from the caller's account, enabled, and allowed by the key's policy or grants.
    /// Otherwise KMSKeyNotAccessibleFault (moto accepts non-existent keys, MOTO-NOTES §4).
    func usableKey(_ reference: String, _ state: inout SimState) throws(SimError) -> SimKMSKey {
        guard let key = state.kms.resolve(reference, account: account, region: region, now: now),
            state.kms.snapshotAccess(keyArn: key.arn, account: account, principalArn: context.principal.arn, region: region).isAllowed
        else { throw RDSErrors.kmsKeyNotAccessible(reference) }
        return key
    }
}
