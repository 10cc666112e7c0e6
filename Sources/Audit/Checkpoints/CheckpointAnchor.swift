import Foundation
import Journal

/// A checkpoint as remembered outside the journal: the signed checkpoint plus where it was
/// journaled (its own record's position and hash).
///
/// The in-stream checkpoint proves what came before it, but a tail cut off together with its last
/// checkpoint leaves a shorter chain that still verifies. The anchor closes that: if the anchor log
/// says a stream's checkpoint record #c exists, a stream that ends before #c was truncated, and a
/// record #c with another hash was rewritten.
public struct CheckpointAnchor: Sendable, Hashable, Codable {
    public var checkpoint: AuditCheckpoint
    /// The stream sequence of the `audit.checkpoint` record that carries `checkpoint`.
    public var recordStreamSequence: Int64
    /// That record's hash.
    public var recordHash: String

    public init(checkpoint: AuditCheckpoint, recordStreamSequence: Int64, recordHash: String) {
        self.checkpoint = checkpoint
        self.recordStreamSequence = recordStreamSequence
        self.recordHash = recordHash
    }

    public var stream: String { checkpoint.stream }

    /// The newest anchor of each stream (highest `recordStreamSequence`), in order of first appearance.
    public static func latest(_ anchors: [CheckpointAnchor]) -> [CheckpointAnchor] {
        var order: [String] = []
        var newest: [String: CheckpointAnchor] = [:]
        for anchor in anchors {
            if let seen = newest[anchor.stream] {
                if anchor.recordStreamSequence > seen.recordStreamSequence { newest[anchor.stream] = anchor }
            } else {
                order.append(anchor.stream)
                newest[anchor.stream] = anchor
            }
        }
        return order.compactMap { newest[$0] }
    }
}
