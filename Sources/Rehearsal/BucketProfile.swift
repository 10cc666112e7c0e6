import AWSServices

/// A bucket's contents as a rehearsal needs them, from its listing alone (no object is read):
/// per top-level prefix, how many objects, how many bytes, and the sizes to reproduce — enough for
/// the twin to have the same shape, and for the copy's duration to be projected.
public struct BucketProfile: Sendable, Codable, Equatable {
    public struct PrefixGroup: Sendable, Codable, Equatable {
        /// The key prefix up to and including the first `/` (empty for keys without one).
        public var prefix: String
        public var objects: Int
        public var bytes: Int64
        /// Up to `sampleLimit` sizes, evenly spaced through the group's sorted sizes, so the twin's
        /// objects span the same range (the smallest and the largest object included).
        public var sizeSample: [Int64]
        public var storageClasses: [String: Int]
    }

    public var groups: [PrefixGroup]
    public var objects: Int { groups.reduce(0) { $0 + $1.objects } }
    public var bytes: Int64 { groups.reduce(0) { $0 + $1.bytes } }
    public var largestObject: Int64 { groups.flatMap(\.sizeSample).max() ?? 0 }

    static let sampleLimit = 32

    public init(groups: [PrefixGroup]) { self.groups = groups }

    /// Profiles a listing (current versions).
    public init(listing: [S3ObjectSummary]) {
        var sizes: [String: [Int64]] = [:]
        var classes: [String: [String: Int]] = [:]
        for object in listing {
            let prefix = object.key.firstIndex(of: "/").map { String(object.key[...$0]) } ?? ""
            sizes[prefix, default: []].append(object.size)
            classes[prefix, default: [:]][object.storageClass, default: 0] += 1
        }
        groups = sizes.keys.sorted().map { prefix in
            let sorted = sizes[prefix]!.sorted()
            return PrefixGroup(
                prefix: prefix, objects: sorted.count, bytes: sorted.reduce(0, +), sizeSample: Self.sample(sorted),
                storageClasses: classes[prefix] ?? [:])
        }
    }

    /// `limit` values evenly spaced through `sorted`, first and last included.
    static func sample(_ sorted: [Int64], limit: Int = sampleLimit) -> [Int64] {
        guard sorted.count > limit else { return sorted }
        return (0..<limit).map { index in sorted[index * (sorted.count - 1) / (limit - 1)] }
    }
}
