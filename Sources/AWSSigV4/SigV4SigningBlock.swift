/// The one heap block a header signature works in: the canonical writer's entry table, its
/// scratch bytes and its output (canonical request, string to sign, `Authorization`).
///
/// The signature the block helped produce keeps it, as the text it reads `canonicalRequest` and
/// `stringToSign` from: the two texts are not copied out into an array of their own, which cost
/// an allocation, a free and a copy of about 600 bytes per signature (issue 19).
///
/// Not `Sendable` itself (the standard library makes `ManagedBuffer`'s conformance unavailable);
/// `SigV4SignedText`, the one thing that keeps a block past signing, says why sharing it is safe.
final class SigV4SigningBlock: ManagedBuffer<Void, UInt64> {
    /// A block of at least `byteCount` bytes, aligned for any of the writer's tables.
    static func allocate(byteCount: Int) -> SigV4SigningBlock {
        let words = max(1, (byteCount &+ 7) / 8)
        return unsafeDowncast(create(minimumCapacity: words) { _ in }, to: SigV4SigningBlock.self)
    }

    /// The block's first byte; valid as long as the block is alive.
    var bytes: UnsafeMutableRawPointer {
        withUnsafeMutablePointerToElements { UnsafeMutableRawPointer($0) }
    }
}
