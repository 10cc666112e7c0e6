/// Object keys in S3's listing order (UTF-8 byte order), kept sorted on insert so a page of a
/// large bucket is a binary search plus a walk, not a sort.
struct S3KeyIndex: Sendable {
    private(set) var keys: [String] = []

    static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// The position of the first key not ordered before `key`.
    func lowerBound(_ key: String) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if Self.precedes(keys[mid], key) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The position of the first key ordered after `key`.
    func upperBound(_ key: String) -> Int {
        let index = lowerBound(key)
        return index < keys.count && keys[index] == key ? index + 1 : index
    }

    mutating func insert(_ key: String) {
        let index = lowerBound(key)
        if index < keys.count && keys[index] == key { return }
        keys.insert(key, at: index)
    }

    mutating func remove(_ key: String) {
        let index = lowerBound(key)
        if index < keys.count && keys[index] == key { keys.remove(at: index) }
    }

    var count: Int { keys.count }
}
