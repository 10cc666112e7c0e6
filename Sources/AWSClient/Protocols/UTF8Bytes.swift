import Foundation

/// Byte comparisons between a parser's buffer and a `String`, for parsers that would otherwise
/// build a `String` only to compare it.
enum UTF8Bytes {
    /// Whether `bytes` are exactly `string`'s UTF-8. Lengths first (native strings know theirs),
    /// then one `memcmp`: the generic `elementsEqual` walked both a byte at a time and showed in
    /// the copy's profile.
    static func equal(_ bytes: UnsafeRawBufferPointer, _ string: String) -> Bool {
        guard bytes.count == string.utf8.count else { return false }
        guard let base = bytes.baseAddress else { return true }
        return string.utf8.withContiguousStorageIfAvailable { utf8 in memcmp(base, utf8.baseAddress!, bytes.count) == 0 }
            ?? bytes.elementsEqual(string.utf8)
    }
}
