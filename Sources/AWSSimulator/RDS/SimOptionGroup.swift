/// An RDS option group of one account: its engine and major version, and its options with the
/// two flags that matter to a move (BC-RDS `OptionGroup`, `Option`).
///
/// A persistent option cannot be removed while instances use the group; a permanent one never.
/// Both stay with every snapshot taken under the group, and a restore needs a group holding them
/// (AWS-NOTES-2 OG-1, OG-4; RDSUG-2023 USER_WorkingWithOptionGroups.md). Oracle TDE is persistent
/// and permanent, SQL Server TDE persistent, Oracle Timezone and OLS persistent and permanent.
public struct SimOptionGroup: Sendable, Equatable {
    public var name: String
    public var engine: String
    public var majorEngineVersion: String
    public var description: String
    public var options: [SimOption]

    public init(name: String, engine: String, majorEngineVersion: String, description: String? = nil, options: [SimOption] = []) {
        self.name = name.lowercased()
        self.engine = engine
        self.majorEngineVersion = majorEngineVersion
        self.description = description ?? name
        self.options = options
    }

    /// The options that travel with a snapshot taken under this group.
    var carriedOptions: [SimOption] { options.filter(\.staysWithSnapshots) }
}

/// One option of an option group.
public struct SimOption: Sendable, Equatable {
    public var name: String
    public var persistent: Bool
    public var permanent: Bool

    public init(name: String, persistent: Bool = false, permanent: Bool = false) {
        self.name = name
        self.persistent = persistent
        self.permanent = permanent
    }

    public var staysWithSnapshots: Bool { persistent || permanent }

    /// Whether a snapshot carrying this option may be shared with another account: of the
    /// persistent and permanent options only Oracle `Timezone` and `OLS` may (RDSUG-2023
    /// USER_ShareSnapshot.md; DescribeOptionGroupOptions' `CopyableCrossAccount`, AWS-NOTES-2 OG-1).
    public var shareableAcrossAccounts: Bool { !staysWithSnapshots || ["Timezone", "OLS"].contains(name) }
}
