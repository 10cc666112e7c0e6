import Foundation

/// The discovery part of a rehearsal report, for people: what exists where, how big it is, what
/// the twin reproduces, what could not be read, and every call made (all reads).
public struct RehearsalSummary: Sendable {
    public var inventory: TwinInventory

    public init(inventory: TwinInventory) { self.inventory = inventory }

    public var text: String {
        var lines = ["Discovery (read-only) in \(inventory.region):"]
        for account in inventory.accounts {
            lines.append("  account \(account.label) \(account.id ?? "(no id in the runbook)") via role \(account.roleName ?? "(none)")")
        }
        for bucket in inventory.buckets {
            guard bucket.exists else {
                let why = bucket.heldElsewhere == true ? "the name is held by another account now" : "absent (the run creates it)"
                lines.append("  bucket \(bucket.name) in \(bucket.account): \(why)")
                continue
            }
            let profile = bucket.profile
            var text = "  bucket \(bucket.name) in \(bucket.account): \(profile?.objects ?? 0) objects, \(Self.bytes(profile?.bytes ?? 0))"
            if let versioning = bucket.versioning {
                text += ", versioning \(versioning) (\(bucket.versions ?? 0) versions, \(bucket.deleteMarkers ?? 0) delete markers)"
            }
            if bucket.objectLock { text += ", Object Lock" }
            if let ownership = bucket.objectOwnership { text += ", ownership \(ownership)" }
            lines.append(text)
            if !bucket.configurations.isEmpty { lines.append("    configuration: \(bucket.configurations.joined(separator: ", "))") }
            if let report = bucket.inventoryReport {
                lines.append(
                    "    from S3 Inventory report \(report.configurationId) of \(TwinDiscovery.iso8601(report.created)) (\(report.frequency.lowercased()), "
                        + "\(report.rows) rows in \(report.dataFiles) files): an estimate, not a listing")
            }
            for group in profile?.groups ?? [] {
                let classes = group.storageClasses.filter { $0.key != "STANDARD" }.sorted { $0.key < $1.key }.map {
                    "\($0.value) \($0.key)"
                }
                lines.append(
                    "    \(group.prefix.isEmpty ? "(no prefix)" : group.prefix): \(group.objects) objects, \(Self.bytes(group.bytes)), "
                        + "largest \(Self.bytes(group.sizeSample.last ?? 0))"
                        + (classes.isEmpty ? "" : ", " + classes.joined(separator: ", ")))
            }
            if let sample = bucket.objectSample {
                let inspected = sample.prefixes.reduce(0) { $0 + $1.inspected }
                let tagged = sample.prefixes.reduce(0) { $0 + $1.tagged }
                var text = "    first \(inspected) objects: \(tagged) tagged"
                text +=
                    sample.aclsRead
                    ? ", \(sample.publicObjects) public through their ACLs, grants to \(sample.otherAccounts) other accounts"
                    : " (ACLs disabled)"
                lines.append(text)
            }
        }
        for db in inventory.dbInstances {
            guard db.exists else {
                lines.append("  DB instance \(db.identifier) in \(db.account): absent")
                continue
            }
            var text =
                "  DB instance \(db.identifier) in \(db.account): \(db.engine ?? "?") \(db.engineVersion ?? "?"), "
                + "\(db.instanceClass ?? "?"), \(db.allocatedStorage.map { "\($0) GiB" } ?? "? GiB")"
            text +=
                db.storageEncrypted
                ? (db.awsManagedKey == true ? ", encrypted with aws/rds" : ", encrypted (customer managed key)") : ", not encrypted"
            if db.deletionProtection { text += ", deletion protection" }
            if !db.optionGroups.isEmpty { text += ", option groups \(db.optionGroups.joined(separator: ", "))" }
            lines.append(text)
        }
        for db in inventory.dbClusters {
            lines.append(
                db.exists
                    ? "  DB cluster \(db.identifier) in \(db.account): \(db.engine ?? "?") \(db.engineVersion ?? "?"), \(db.members.count) members"
                        + (db.awsManagedKey == true ? ", encrypted with aws/rds" : "")
                    : "  DB cluster \(db.identifier) in \(db.account): absent")
        }
        for key in inventory.keys {
            lines.append(
                "  KMS key \(key.reference) in \(key.account): "
                    + (key.exists
                        ? (key.awsManaged ? "AWS managed" : "customer managed, aliases \(key.aliases.joined(separator: ", "))") : "absent"))
        }
        lines += Self.switchoverLines(inventory.switchover)
        lines.append(
            "  calls made (all reads): "
                + inventory.calls.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
        if inventory.problems.isEmpty {
            lines.append("  nothing was unreadable")
        } else {
            lines.append("  could not read:")
            lines += inventory.problems.map { "    - \($0)" }
        }
        for finding in inventory.findings ?? [] { lines.append("  note: \(finding)") }
        lines.append(
            "The twin has generated objects in the same prefixes, counts, sizes and storage classes (no object data), tags and ACL")
        lines.append("grants as on the first objects sampled; subnet and security groups sit in the VPCs found.")
        return lines.joined(separator: "\n") + "\n"
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}
