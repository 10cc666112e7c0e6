import Foundation

/// What a twin bucket's generated objects carry beyond size — storage classes, tags, ACL
/// grants — and its S3 Inventory, so the rehearsal's preflight and copies meet what the real
/// bucket would give them.
extension TwinWorld {
    /// Accounts standing in for the other accounts the real objects grant to (the n-th distinct
    /// other canonical user becomes `88888888880n`): the twin keeps them distinct, not real.
    static func grantAccount(_ index: Int, bucketAccount: String) -> String {
        index == 0 ? bucketAccount : String(format: "8888888888%02d", index % 100)
    }

    static func carryObjectTraits(
        _ group: BucketProfile.PrefixGroup, _ sample: TwinInventory.ObjectSample?, bucketAccount: String, into twin: inout Bucket.Group
    ) {
        let classes = group.storageClasses.filter { $0.key != "STANDARD" && $0.value > 0 }
        twin.storageClasses = classes.isEmpty ? nil : classes
        guard let seen = sample?.prefixes.first(where: { $0.prefix == group.prefix }), seen.inspected > 0 else { return }
        if seen.tagged > 0 {
            // The tagged share of the inspected objects, across the whole prefix.
            let share = Double(seen.tagged) / Double(seen.inspected)
            twin.tagged = min(group.objects, max(seen.tagged, Int((share * Double(group.objects)).rounded())))
            twin.tags = Dictionary(uniqueKeysWithValues: (1...max(1, seen.maxTags)).map { ("twin-tag-\($0)", "twin") })
        }
        if seen.grantSets.contains(where: { !$0.grants.isEmpty }) {
            twin.grantSets = seen.grantSets.map { set in
                Bucket.GrantSet(
                    count: set.count,
                    grants: set.grants.map { grant in
                        Bucket.GrantSet.Grant(
                            account: grant.otherAccount.map { grantAccount($0, bucketAccount: bucketAccount) }, group: grant.group,
                            permission: grant.permission)
                    })
            }
        }
    }

    /// The bucket's inventory configurations; the report is written on the twin (from its own
    /// objects) when the real one was used, so a rediscovery of the twin reads a report too.
    static func twinInventory(_ bucket: TwinInventory.Bucket, ids: [String: String]) -> [Bucket.Inventory]? {
        guard let configurations = bucket.inventoryConfigurations, !configurations.isEmpty else { return nil }
        return configurations.filter { $0.format == "CSV" }.map { configuration in
            Bucket.Inventory(
                id: configuration.id, destination: configuration.destinationBucket, destinationAccount: configuration.destinationAccount,
                prefix: configuration.destinationPrefix, includedObjectVersions: configuration.includedObjectVersions,
                optionalFields: configuration.optionalFields, frequency: configuration.frequency, format: configuration.format,
                report: bucket.inventoryReport?.configurationId == configuration.id)
        }
    }

    /// Inventory destination buckets the runbook does not name: empty buckets (but for the
    /// twin's report) in the account the configuration names, else the source bucket's.
    static func inventoryDestinations(_ inventory: TwinInventory, existing: Set<String>, ids: [String: String]) -> [Bucket] {
        var made = existing
        var destinations: [Bucket] = []
        for bucket in inventory.buckets where bucket.exists {
            for configuration in bucket.inventoryConfigurations ?? [] where configuration.format == "CSV" {
                guard !made.contains(configuration.destinationBucket) else { continue }
                made.insert(configuration.destinationBucket)
                destinations.append(
                    Bucket(
                        name: configuration.destinationBucket,
                        account: configuration.destinationAccount ?? ids[bucket.account] ?? bucket.account,
                        region: bucket.region.flatMap { $0.isEmpty ? nil : $0 }, versioning: nil, objectLock: nil, policy: nil,
                        modernDefaults: nil, configurations: nil, inventory: nil, groups: []))
            }
        }
        return destinations
    }
}
