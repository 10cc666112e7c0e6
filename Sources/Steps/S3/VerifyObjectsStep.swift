import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.verify` (read-only): the destination must hold exactly the source's objects — the same
/// keys, sizes and content, object by object. Any difference fails the step with the differing
/// keys, not retryable: something changed the data, and a person must look before anything is
/// deleted.
///
/// Content is compared by a hash S3 computed on both sides:
/// - from the two listings alone when both ETags are equal (issue 19): an ETag that is the MD5
///   of the content (single-part, not SSE-KMS) on one side and the same on the other proves the
///   same bytes, with no request per object. Equal opaque ETags (multipart) are the same parts.
/// - otherwise (ETags differ: a multipart source and its single-part copy, SSE-KMS, or really
///   different bytes) by SHA-256, as before: S3's stored full-object checksum from HeadObject,
///   or the downloaded bytes hashed here.
/// - `sha256: true` (the move's `verifySHA256`) compares every object by SHA-256, as every
///   verification did before issue 19, for runbooks that want a collision-resistant hash of
///   every object rather than MD5 (two HeadObjects per object).
///
/// Its outputs are `S3VerifyOutputs`, as the verifiers count them (`S3VersionVerifier` for history).
struct VerifyObjectsStep: TypedStep {
    let sessions: any AccountSessions
    let tuning: S3CopyTuning

    struct Difference: Sendable {
        var key: String
        var reason: String
    }

    func run(_ inputs: S3VerifyInputs, _ context: StepContext) async throws -> TypedStepResult<S3VerifyOutputs> {
        let from = inputs.from
        let to = inputs.to
        let source = try await S3Session.open(sessions, from.account)
        let destination = from.account == to.account ? source : try await S3Session.open(sessions, to.account)
        let concurrency = max(1, inputs.concurrency ?? S3CopyTuning.defaultConcurrency)

        let sha256Always = inputs.sha256 ?? false
        // A history copy is verified chain by chain (S3VersionVerifier.swift).
        if S3VersionVerifier.mode(context, inputs) == .all {
            let verifier = S3VersionVerifier(
                source: source, destination: destination, from: from, to: to, concurrency: concurrency, sha256Always: sha256Always,
                tuning: tuning)
            let outputs = try await verifier.run(context)
            // Every version's own grants (S3ObjectACL+Versions.swift); with a capture of current
            // versions only, the current versions' grants as for a plain copy.
            var grantsMissing: [Difference]
            if let versions = try await S3VersionACLVerification.differences(
                context, inputs: inputs, source: source, destination: destination, from: from, to: to, concurrency: concurrency)
            {
                grantsMissing = versions
            } else {
                let current = try await destination.read(to.bucket) { try await $0.listAllObjects(bucket: to.bucket) }.map(\.key)
                grantsMissing = try await S3ACLVerification.differences(
                    context, inputs: inputs, destination: destination, to: to, present: Set(current), concurrency: concurrency)
            }
            guard grantsMissing.isEmpty else {
                let sample = grantsMissing.sorted { $0.key < $1.key }.prefix(20).map { "\($0.key) (\($0.reason))" }.joined(separator: ", ")
                throw StepError(
                    code: "VerificationFailed",
                    message: "\(grantsMissing.count) objects in \(to) lack the ACL grants they had in \(from): \(sample)"
                        + (grantsMissing.count > 20 ? ", …" : "") + ". Nothing was deleted; find out what changed before retrying.",
                    retryable: false, account: destination.label, resource: to.bucket)
            }
            return .done(outputs)
        }
        // `versions: current` on a move: count what emptying the source destroys, for its approvers.
        let leftBehind = inputs.countHistory == true ? try await S3VersionVerifier.historyLeftBehind(source, bucket: from.bucket) : nil
        let parallelism = tuning.listingParallelism
        async let listedSource = source.read(from.bucket) {
            try await $0.listAllObjectsInParallel(bucket: from.bucket, parallelism: parallelism)
        }
        async let listedDestination = destination.read(to.bucket) {
            try await $0.listAllObjectsInParallel(bucket: to.bucket, parallelism: parallelism)
        }
        let sourceObjects = try await listedSource
        let destinationObjects = try await listedDestination
        var there: [String: S3ObjectSummary] = [:]
        for object in destinationObjects { there[object.key] = object }
        let sourceKeys = Set(sourceObjects.map(\.key))

        var differences: [Difference] = []
        var pairs: [S3ObjectSummary] = []
        var provenByListing = 0
        for object in sourceObjects {
            guard let copy = there[object.key] else {
                differences.append(Difference(key: object.key, reason: "missing in \(to)"))
                continue
            }
            if copy.size != object.size {
                differences.append(Difference(key: object.key, reason: "size \(object.size) in \(from), \(copy.size) in \(to)"))
                continue
            }
            if !sha256Always, let left = object.eTag, let right = copy.eTag, S3CopyDelta.unquoted(left) == S3CopyDelta.unquoted(right) {
                provenByListing += 1
                continue
            }
            pairs.append(object)
        }
        for object in destinationObjects where !sourceKeys.contains(object.key) {
            differences.append(Difference(key: object.key, reason: "in \(to) but not in \(from)"))
        }

        var hashedLocally = 0
        var checked = 0
        try await withThrowingTaskGroup(of: (Difference?, Int).self) { group in
            var next = 0
            func launch() {
                let key = pairs[next].key
                next += 1
                group.addTask {
                    try await tuning.retrying(account: destination.label, resource: "\(to.bucket)/\(key)") {
                        try await compare(key, source: source, destination: destination, from: from, to: to)
                    }
                }
            }
            while next < pairs.count && next < concurrency { launch() }
            while let (difference, hashed) = try await group.next() {
                checked += 1
                hashedLocally += hashed
                if let difference { differences.append(difference) }
                if checked % 500 == 0 { await context.progress("verified \(checked) of \(pairs.count) objects") }
                if next < pairs.count { launch() }
            }
        }
        differences += try await S3ACLVerification.differences(
            context, inputs: inputs, destination: destination, to: to, present: Set(there.keys), concurrency: concurrency)
        guard differences.isEmpty else {
            differences.sort { $0.key < $1.key }
            let sample = differences.prefix(20).map { "\($0.key) (\($0.reason))" }.joined(separator: ", ")
            throw StepError(
                code: "VerificationFailed",
                message: "\(differences.count) of \(sourceObjects.count) objects differ between \(from) and \(to): \(sample)"
                    + (differences.count > 20 ? ", …" : "") + ". Nothing was deleted; find out what changed before retrying.",
                retryable: false, account: destination.label, resource: to.bucket)
        }
        let bytes = sourceObjects.reduce(Int64(0)) { $0 + $1.size }
        return .done(
            S3VerifyOutputs(
                objects: sourceObjects.count, bytes: bytes, hashedLocally: hashedLocally, sameETag: provenByListing,
                comparedBySHA256: pairs.count, deleteMarkers: leftBehind?.deleteMarkers,
                noncurrentVersions: leftBehind?.noncurrentVersions, noncurrentBytes: leftBehind?.noncurrentBytes))
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    func undo(_ context: StepContext) async throws {}

    /// Compares one key's SHA-256 on both sides; returns the difference, if any, and how many
    /// sides had to be downloaded and hashed here.
    private func compare(
        _ key: String, source: S3Session, destination: S3Session, from: S3Location, to: S3Location
    ) async throws -> (Difference?, Int) {
        let (left, leftHashed) = try await sha256(key, session: source, location: from)
        let (right, rightHashed) = try await sha256(key, session: destination, location: to)
        let hashed = (leftHashed ? 1 : 0) + (rightHashed ? 1 : 0)
        guard let left else { return (Difference(key: key, reason: "gone from \(from) during verification"), hashed) }
        guard let right else { return (Difference(key: key, reason: "gone from \(to) during verification"), hashed) }
        if left != right { return (Difference(key: key, reason: "SHA-256 differs"), hashed) }
        return (nil, hashed)
    }

    /// The object's SHA-256 (base64): stored full-object checksum, else hashed from its bytes.
    private func sha256(_ key: String, session: S3Session, location: S3Location) async throws -> (String?, Bool) {
        let resource = "\(location.bucket)/\(key)"
        guard let metadata = try await session.read(resource, { try await $0.headObject(bucket: location.bucket, key: key) })
        else { return (nil, false) }
        if let stored = S3ObjectCopier.fullObjectSHA256(metadata) { return (stored, false) }
        guard metadata.contentLength <= tuning.maxLocalHashSize else {
            throw StepError(
                code: "UnverifiableObject",
                message: "\(resource) has no full-object SHA-256 stored and is \(metadata.contentLength) bytes, above the "
                    + "\(tuning.maxLocalHashSize) bytes verified by download; copy it with a SHA-256 checksum first",
                retryable: false, account: session.label, resource: resource)
        }
        let content = try await session.read(resource) { try await $0.getObject(bucket: location.bucket, key: key) }
        return (S3ContentHash.sha256Base64(content.body), true)
    }
}
