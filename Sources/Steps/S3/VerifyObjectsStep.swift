import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.verify` (read-only): the destination must hold exactly the source's objects — the same
/// keys, sizes and SHA-256 of the content, object by object (ETags are not comparable across
/// multipart and KMS). The SHA-256 is S3's stored full-object checksum where there is one, else
/// computed here from the downloaded bytes. Any difference fails the step with the differing
/// keys, not retryable: something changed the data, and a person must look before anything is
/// deleted.
struct VerifyObjectsStep: Step {
    let sessions: any AccountSessions
    let tuning: S3CopyTuning

    struct Difference: Sendable {
        var key: String
        var reason: String
    }

    func run(_ context: StepContext) async throws -> StepResult {
        let inputs = S3StepInputs(context)
        let from = try inputs.location("from")
        let to = try inputs.location("to")
        let source = try await S3Session.open(sessions, from.account)
        let destination = from.account == to.account ? source : try await S3Session.open(sessions, to.account)
        let concurrency = max(1, inputs.int("concurrency", default: S3CopyTuning.defaultConcurrency))

        let sourceObjects = try await source.read(from.bucket) { try await $0.listAllObjects(bucket: from.bucket) }
        let destinationObjects = try await destination.read(to.bucket) { try await $0.listAllObjects(bucket: to.bucket) }
        var there: [String: S3ObjectSummary] = [:]
        for object in destinationObjects { there[object.key] = object }
        let sourceKeys = Set(sourceObjects.map(\.key))

        var differences: [Difference] = []
        var pairs: [S3ObjectSummary] = []
        for object in sourceObjects {
            guard let copy = there[object.key] else {
                differences.append(Difference(key: object.key, reason: "missing in \(to)"))
                continue
            }
            if copy.size != object.size {
                differences.append(Difference(key: object.key, reason: "size \(object.size) in \(from), \(copy.size) in \(to)"))
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
        return .done(outputs: [
            "objects": String(sourceObjects.count), "bytes": String(bytes), "hashedLocally": String(hashedLocally),
        ])
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
