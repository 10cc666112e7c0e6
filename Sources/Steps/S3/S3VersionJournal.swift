import Engine
import Foundation

/// The journal of a history copy: each reproduced version or delete marker with the version ID
/// its copy got (old → new, `AWSCallRecord.versionMap`), in batches like the copy's own journaling
/// of successful copies (`AWSCallBatch`): one record per `maxCalls` calls or per `maxDelay`, with
/// every request ID. `cutoverctl audit export --version-map` writes the mapping out.
///
/// Unlike a plain copy, a version copy is not idempotent (a second CopyObject adds a second
/// version), so the copier never relies on this journal to know what landed: after a crash it
/// lists the destination's history and matches it against the source's (`S3VersionChain.match`).
/// A crash loses at most the last unflushed batch of mappings; the copies themselves are found by
/// the listing, and the resumed copy journals the entries it matched (operation
/// `ListObjectVersions`, not mutating), so the audit log still maps every version.
actor S3VersionJournal {
    let boundary: AWSCallBoundary
    let operation: String
    let account: String
    let scope: String
    /// False for the record of entries found already copied (a resumed copy re-journals what it
    /// matched, so a mapping lost with a crash's last unflushed batch is journaled after all).
    let mutating: Bool
    let maxCalls: Int
    let maxDelay: Duration

    private var mappings: [AWSCallRecord.VersionCopy] = []
    private var requestIds: [String] = []
    private var retries = 0
    private var opened: ContinuousClock.Instant?

    init(
        boundary: AWSCallBoundary, operation: String, account: String, scope: String, mutating: Bool = true, maxCalls: Int = 1_000,
        maxDelay: Duration = .seconds(1)
    ) {
        self.boundary = boundary
        self.mutating = mutating
        self.operation = operation
        self.account = account
        self.scope = scope
        self.maxCalls = maxCalls
        self.maxDelay = maxDelay
    }

    /// One reproduced entry; journaled with the batch it falls into.
    func succeeded(_ mapping: AWSCallRecord.VersionCopy, requestId: String?, retries callRetries: Int) async throws {
        if mappings.isEmpty { opened = ContinuousClock.now }
        mappings.append(mapping)
        requestIds.append(requestId ?? "-")
        retries += callRetries
        if mappings.count >= maxCalls || opened.map({ ContinuousClock.now - $0 >= maxDelay }) == true { try await flush() }
    }

    /// One failed call, journaled at once with AWS's code and request ID.
    func failed(resource: String, code: String, requestId: String?, retries: Int) async throws {
        try await boundary.context.record(
            AWSCallRecord(
                service: boundary.service, operation: operation, account: account, region: boundary.region, resource: resource,
                requestId: requestId, outcome: code, retries: retries, mutating: true))
    }

    func flush() async throws {
        guard let first = mappings.first, let last = mappings.last else { return }
        let count = mappings.count
        let record = AWSCallRecord(
            service: boundary.service, operation: operation, account: account, region: boundary.region,
            resource: "\(scope): \(count) version\(count == 1 ? "" : "s"), \(first.key) … \(last.key)",
            requestId: requestIds.joined(separator: " "), outcome: "ok", retries: retries, mutating: mutating, calls: count,
            versionMap: mappings)
        mappings.removeAll(keepingCapacity: true)
        requestIds.removeAll(keepingCapacity: true)
        retries = 0
        try await boundary.context.record(record)
    }
}
