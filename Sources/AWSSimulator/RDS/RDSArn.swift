/// An RDS resource ARN: `arn:aws:rds:REGION:ACCOUNT:TYPE:ID` with TYPE `db`, `snapshot`,
/// `cluster` or `cluster-snapshot` (BC-RDS). Identifiers are stored lower-case, as RDS does.
struct RDSArn: Sendable, Equatable {
    var region: String
    var account: String
    var type: String
    var id: String

    init(region: String, account: String, type: String, id: String) {
        self.region = region
        self.account = account
        self.type = type
        self.id = id.lowercased()
    }

    /// Parses an ARN; nil for anything else (a bare identifier). The ID may itself contain `:`
    /// (automated snapshots are `rds:DB-yyyy-mm-dd-hh-mm`).
    init?(_ text: String) {
        guard text.hasPrefix("arn:") else { return nil }
        let parts = text.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        guard parts.count == 7, parts[2] == "rds", !parts[3].isEmpty, parts[4].count == 12, !parts[6].isEmpty else { return nil }
        self.init(region: String(parts[3]), account: String(parts[4]), type: String(parts[5]), id: String(parts[6]))
    }

    var text: String { "arn:aws:rds:\(region):\(account):\(type):\(id)" }

    /// The ARN `reference` names for `account` in `region`: the reference itself when it is an
    /// ARN, else the caller's own resource of that type.
    static func of(_ reference: String, type: String, account: String, region: String) -> RDSArn? {
        if reference.hasPrefix("arn:") {
            guard let arn = RDSArn(reference), arn.type == type else { return nil }
            return arn
        }
        return RDSArn(region: region, account: account, type: type, id: reference)
    }
}
