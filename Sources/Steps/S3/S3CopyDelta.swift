import AWSServices
import Foundation

/// What a copy pass must do, computed from the two listings alone (no request per object): which
/// source objects to copy, which the destination already holds, and which destination keys the
/// source no longer has.
///
/// An object counts as already copied when the destination lists the key with the same size and
/// the same ETag, and was written no earlier than the source (a source rewritten after the copy
/// with different metadata but the same bytes keeps its ETag; its newer LastModified gives it
/// away). Equal ETags of equal size are the same bytes: the ETag of a single-part, non-KMS
/// object is the MD5 of its content, which S3 computed on both sides, and S3 does not hand out
/// equal opaque ETags (multipart, SSE-KMS) for different content. Where ETags cannot match
/// although the bytes do (a multipart source becomes a single-part copy; a KMS-encrypted copy
/// gets a new opaque ETag), the object is copied again: one request, never a wrong "unchanged".
struct S3CopyDelta: Sendable, Equatable {
    /// Source objects to copy, in listing order.
    var toCopy: [S3ObjectSummary] = []
    /// Source objects the destination already holds.
    var unchanged: [S3ObjectSummary] = []
    /// Destination keys the source does not have (what `mirror` deletes), in listing order.
    var extra: [String] = []

    init(source: [S3ObjectSummary], destination: [S3ObjectSummary]) {
        var there: [String: S3ObjectSummary] = [:]
        there.reserveCapacity(destination.count)
        for object in destination { there[object.key] = object }
        toCopy.reserveCapacity(source.count)
        var sourceKeys = Set<String>()
        sourceKeys.reserveCapacity(source.count)
        for object in source {
            sourceKeys.insert(object.key)
            if let copy = there[object.key], Self.sameObject(object, copy) {
                unchanged.append(object)
            } else {
                toCopy.append(object)
            }
        }
        extra = destination.lazy.map(\.key).filter { !sourceKeys.contains($0) }
    }

    /// Whether the listing proves `copy` holds `source`'s current version (see the type's comment).
    static func sameObject(_ source: S3ObjectSummary, _ copy: S3ObjectSummary) -> Bool {
        guard source.size == copy.size, let left = source.eTag, let right = copy.eTag else { return false }
        return unquoted(left) == unquoted(right) && copy.lastModified >= source.lastModified
    }

    /// An ETag without its quotes (S3 quotes it in listings and headers, not always elsewhere).
    static func unquoted(_ eTag: String) -> Substring {
        var text = Substring(eTag)
        if text.hasPrefix("\"") { text = text.dropFirst() }
        if text.hasSuffix("\"") { text = text.dropLast() }
        return text
    }
}
