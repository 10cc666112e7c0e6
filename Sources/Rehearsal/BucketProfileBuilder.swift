/// Builds a `BucketProfile` one object at a time in bounded memory (an S3 Inventory report of any
/// size): per prefix the count, bytes and storage classes, the smallest and largest size, and a
/// reservoir of sizes — every size while a prefix has no more than `reservoirLimit`, so small
/// prefixes are profiled exactly as from a listing.
struct BucketProfileBuilder {
    static let reservoirLimit = 1024

    private struct Group {
        var objects = 0
        var bytes: Int64 = 0
        var smallest = Int64.max
        var largest = Int64.min
        var reservoir: [Int64] = []
        var storageClasses: [String: Int] = [:]
    }

    private var groups: [String: Group] = [:]
    /// A fixed-seed generator: the same report gives the same profile.
    private var random = SplitMix64(seed: 0x5EED_1A7E)

    mutating func add(key: String, size: Int64, storageClass: String) {
        let prefix = key.firstIndex(of: "/").map { String(key[...$0]) } ?? ""
        var group = groups[prefix] ?? Group()
        group.objects += 1
        group.bytes += size
        group.smallest = min(group.smallest, size)
        group.largest = max(group.largest, size)
        group.storageClasses[storageClass.isEmpty ? "STANDARD" : storageClass, default: 0] += 1
        if group.reservoir.count < Self.reservoirLimit {
            group.reservoir.append(size)
        } else {
            let slot = Int(random.next() % UInt64(group.objects))
            if slot < Self.reservoirLimit { group.reservoir[slot] = size }
        }
        groups[prefix] = group
    }

    func profile() -> BucketProfile {
        BucketProfile(
            groups: groups.keys.sorted().map { prefix in
                let group = groups[prefix]!
                var sample = BucketProfile.sample(group.reservoir.sorted())
                if group.objects > Self.reservoirLimit, !sample.isEmpty {
                    sample[0] = group.smallest
                    sample[sample.count - 1] = group.largest
                }
                return BucketProfile.PrefixGroup(
                    prefix: prefix, objects: group.objects, bytes: group.bytes, sizeSample: sample, storageClasses: group.storageClasses)
            })
    }
}

/// SplitMix64: a small deterministic generator for sampling.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
