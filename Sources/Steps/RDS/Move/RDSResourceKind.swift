import AWSClient
import AWSServices
import Foundation

/// What a move of a DB instance and a move of an Aurora cluster do differently in the primitives
/// they share (snapshot, wait, share, copy, cleanup): the calls, their journaled operation names,
/// the error codes that mean "already there" or "gone", and the words progress and errors use.
/// The primitives are written once over a kind; restore, members, preflight and verify, which
/// really differ, stay with each kind.
protocol RDSResourceKind: Sendable {
    /// What the kind takes beyond what both moves take alike.
    associatedtype Own: RDSMoveOwnInputs
    associatedtype Snapshot: RDSSnapshotRecord

    /// How errors and progress name a snapshot of this kind (`snapshot`, `cluster snapshot`).
    static var snapshotNoun: String { get }
    /// How a wait names the copy in the target (`copy`, `cluster snapshot copy`).
    static var copyNoun: String { get }

    /// The step types of its snapshot chain (`rds.snapshot-instance`, …).
    static var chainTypes: RDSSnapshotChainTypes { get }

    /// The AWS operation names, as journaled.
    static var createSnapshotOperation: String { get }
    static var shareOperation: String { get }
    static var copyOperation: String { get }
    static var deleteSnapshotOperation: String { get }

    static var snapshotNotFound: AWSErrorCode { get }
    static var snapshotAlreadyExists: AWSErrorCode { get }
    /// What CreateSnapshot answers when the source is busy — also when a resent create finds the
    /// snapshot our lost first attempt started.
    static var sourceBusy: AWSErrorCode { get }
    /// The code undo reports for a snapshot that cannot be deleted yet.
    static var snapshotNotDeletable: AWSErrorCode { get }

    static func describeSnapshot(_ id: String, client: RDSClient) async throws -> Snapshot?
    static func createSnapshot(
        _ id: String, of source: String, tags: [String: String], client: RDSClient
    ) async throws -> RDSResult<Snapshot>
    static func sharedWith(_ id: String, client: RDSClient) async throws -> [String]
    static func share(
        _ id: String, add: [String]?, remove: [String]?, client: RDSClient
    ) async throws -> RDSResult<RDSSnapshotAttributes>
    static func copy(
        from sourceArn: String, to id: String, kmsKeyId: String?, tags: [String: String], client: RDSClient
    ) async throws -> RDSResult<Snapshot>
    static func deleteSnapshot(_ id: String, client: RDSClient) async throws -> RDSResult<Snapshot>
    static func snapshotState(_ status: String?) -> RDSWaitState

    /// The shared snapshot's ARN and the key to copy it with (nil: unencrypted, no key).
    static func copySource(_ move: RDSMoveContext<Self>) async throws -> (arn: String?, kmsKeyId: String?)

    /// What a wait for the restored resource (or its members) sees.
    static func observeRestored(_ target: RDSWaitTarget, _ move: RDSMoveContext<Self>) async throws -> RDSWaitObservation
}

extension RDSResourceKind {
    /// Every primitive's inputs for this kind.
    typealias Settings = RDSMoveSettings<Own>
}
