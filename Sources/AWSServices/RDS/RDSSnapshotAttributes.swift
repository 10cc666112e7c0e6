/// The attributes of a DB snapshot or DB cluster snapshot (`DescribeDB[Cluster]SnapshotAttributes`,
/// `ModifyDB[Cluster]SnapshotAttribute`): above all `restore`, the accounts it is shared with.
public struct RDSSnapshotAttributes: Sendable, Equatable {
    public var snapshotIdentifier: String
    /// Attribute name → values, e.g. `["restore": ["222222222222"]]`.
    public var attributes: [String: [String]]

    public init(snapshotIdentifier: String, attributes: [String: [String]]) {
        self.snapshotIdentifier = snapshotIdentifier
        self.attributes = attributes
    }

    /// The account IDs allowed to copy or restore the snapshot; `all` means public.
    public var restoreAccounts: [String] { attributes["restore"] ?? [] }
}

extension RDSSnapshotAttributes {
    /// Decodes `<DBSnapshotAttributesResult>` (`cluster: false`) or
    /// `<DBClusterSnapshotAttributesResult>` (`cluster: true`).
    init(_ x: QueryFields, cluster: Bool) throws {
        let prefix = cluster ? "DBClusterSnapshot" : "DBSnapshot"
        var attributes: [String: [String]] = [:]
        for attribute in try x.items(
            "\(prefix)Attributes", member: "\(prefix)Attribute",
            { a in
                (try a.required("AttributeName"), a.strings("AttributeValues", member: "AttributeValue"))
            })
        {
            attributes[attribute.0, default: []] += attribute.1
        }
        self.init(snapshotIdentifier: try x.required("\(prefix)Identifier"), attributes: attributes)
    }
}
