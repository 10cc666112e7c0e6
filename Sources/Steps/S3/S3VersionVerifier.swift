import AWSServices
import Engine
import Foundation
import Runbook

/// Verification of a history copy (issue 17): the destination must hold, for every key of the
/// source, the same chain — the same number of entries, in the same order, delete markers where
/// the source has them, and each version with the same size and content. Content as the plain
/// verification proves it: equal ETags from the listings, else (or always, with `sha256`) the
/// SHA-256 of that version on both sides (stored full-object checksum, else downloaded and
/// hashed). Keys the source does not have are differences too. Version IDs and dates differ by
/// nature (a copy is a new version, AWS-NOTES-2 VER-1) and are not compared.
struct S3VersionVerifier: Sendable {
    let source: S3Session
    let destination: S3Session
    let from: S3Location
    let to: S3Location
    let concurrency: Int
    let sha256Always: Bool
    let tuning: S3CopyTuning

    /// The mode to verify in: `versions`, else the copy's (`versionsFrom`); nil (plain
    /// verification, no extra request) when neither says.
    static func mode(_ context: StepContext, _ inputs: S3VerifyInputs) -> S3VersionsMode? {
        if let written = inputs.versions { return written }
        guard let step = inputs.versionsFrom else { return nil }
        return context.output(of: step, "versions").flatMap(S3VersionsMode.init(rawValue:))
    }

    func run(_ context: StepContext) async throws -> S3VerifyOutputs {
        async let listedSource = source.read(from.bucket) { try await S3VersionChains.list($0, bucket: from.bucket) }
        async let listedDestination = destination.read(to.bucket) { try await S3VersionChains.list($0, bucket: to.bucket) }
        let chains = try await listedSource
        var there: [String: S3VersionChain] = [:]
        for chain in try await listedDestination { there[chain.key] = chain }
        let keys = Set(chains.map(\.key))

        var differences: [VerifyObjectsStep.Difference] = []
        var pairs: [(S3ObjectVersion, S3ObjectVersion)] = []
        var provenByListing = 0
        for chain in chains {
            let copy = there[chain.key]?.entries ?? []
            guard copy.count == chain.entries.count else {
                differences.append(
                    .init(key: chain.key, reason: "\(chain.entries.count) versions and markers in \(from), \(copy.count) in \(to)"))
                continue
            }
            for (index, (left, right)) in zip(chain.entries, copy).enumerated() {
                switch S3VersionChain.compare(left, right) {
                case .different(let reason):
                    differences.append(.init(key: chain.key, reason: "entry \(index + 1) of \(copy.count) is \(reason)"))
                case .same where left.isDeleteMarker || !sha256Always:
                    provenByListing += 1
                case .same, .undecided:
                    pairs.append((left, right))
                }
            }
        }
        for chain in there.values where !keys.contains(chain.key) {
            differences.append(.init(key: chain.key, reason: "in \(to) (\(chain.entries.count) entries) but not in \(from)"))
        }

        var hashedLocally = 0
        var checked = 0
        try await withThrowingTaskGroup(of: (VerifyObjectsStep.Difference?, Int).self) { group in
            var next = 0
            func launch() {
                let (left, right) = pairs[next]
                next += 1
                group.addTask {
                    try await tuning.retrying(account: destination.label, resource: "\(to.bucket)/\(right.key)") {
                        try await compare(left, right)
                    }
                }
            }
            while next < pairs.count && next < max(1, concurrency) { launch() }
            while let (difference, hashed) = try await group.next() {
                checked += 1
                hashedLocally += hashed
                if let difference { differences.append(difference) }
                if checked % 500 == 0 { await context.progress("verified \(checked) of \(pairs.count) versions by SHA-256") }
                if next < pairs.count { launch() }
            }
        }
        let entries = chains.reduce(0) { $0 + $1.entries.count }
        guard differences.isEmpty else {
            differences.sort { $0.key < $1.key }
            let sample = differences.prefix(20).map { "\($0.key) (\($0.reason))" }.joined(separator: ", ")
            throw StepError(
                code: "VerificationFailed",
                message: "the history of \(differences.count) of \(chains.count) keys differs between \(from) and \(to): \(sample)"
                    + (differences.count > 20 ? ", …" : "") + ". Nothing was deleted; find out what changed before retrying.",
                retryable: false, account: destination.label, resource: to.bucket)
        }
        return S3VerifyOutputs(
            versions: .all, objects: chains.count, bytes: chains.reduce(Int64(0)) { $0 + $1.bytes }, hashedLocally: hashedLocally,
            sameETag: provenByListing, comparedBySHA256: pairs.count, historyEntries: entries,
            deleteMarkers: chains.reduce(0) { $0 + $1.deleteMarkers }, noncurrentVersions: chains.reduce(0) { $0 + $1.noncurrentVersions })
    }

    private func compare(_ left: S3ObjectVersion, _ right: S3ObjectVersion) async throws -> (VerifyObjectsStep.Difference?, Int) {
        let (a, aHashed) = try await sha256(left, session: source, location: from)
        let (b, bHashed) = try await sha256(right, session: destination, location: to)
        let hashed = (aHashed ? 1 : 0) + (bHashed ? 1 : 0)
        guard let a, let b else {
            return (.init(key: left.key, reason: "version \(a == nil ? left.versionId : right.versionId) gone during verification"), hashed)
        }
        return (
            a == b ? nil : .init(key: left.key, reason: "SHA-256 of version \(left.versionId) differs from its copy \(right.versionId)"),
            hashed
        )
    }

    /// One version's SHA-256 (base64): its stored full-object checksum, else hashed from its bytes.
    private func sha256(_ version: S3ObjectVersion, session: S3Session, location: S3Location) async throws -> (String?, Bool) {
        let resource = "\(location.bucket)/\(version.key)?versionId=\(version.versionId)"
        guard
            let metadata = try await session.read(
                resource,
                {
                    try await $0.headObject(bucket: location.bucket, key: version.key, versionId: version.versionId)
                })
        else { return (nil, false) }
        if let stored = S3ObjectCopier.fullObjectSHA256(metadata) { return (stored, false) }
        guard metadata.contentLength <= tuning.maxLocalHashSize else {
            throw StepError(
                code: "UnverifiableObject",
                message: "\(resource) has no full-object SHA-256 stored and is \(metadata.contentLength) bytes, above the "
                    + "\(tuning.maxLocalHashSize) bytes verified by download",
                retryable: false, account: session.label, resource: resource)
        }
        let content = try await session.read(resource) {
            try await $0.getObject(bucket: location.bucket, key: version.key, versionId: version.versionId)
        }
        return (S3ContentHash.sha256Base64(content.body), true)
    }

    /// With `versions: current`, what the source holds beyond its current versions — what
    /// emptying it destroys — for the approvers of the point of no return.
    static func historyLeftBehind(_ session: S3Session, bucket: String) async throws -> HistoryLeftBehind {
        let chains = try await session.read(bucket) { try await S3VersionChains.list($0, bucket: bucket) }
        return HistoryLeftBehind(
            noncurrentVersions: chains.reduce(0) { $0 + $1.noncurrentVersions }, deleteMarkers: chains.reduce(0) { $0 + $1.deleteMarkers },
            noncurrentBytes: chains.reduce(Int64(0)) { $0 + $1.noncurrentBytes })
    }

    /// What a source holds beyond its current versions (`historyLeftBehind`).
    struct HistoryLeftBehind: Sendable, Equatable {
        var noncurrentVersions: Int
        var deleteMarkers: Int
        var noncurrentBytes: Int64
    }
}
