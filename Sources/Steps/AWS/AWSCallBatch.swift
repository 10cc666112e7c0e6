import Engine
import Foundation

/// The boundary's journaling for a bulk step that makes the same idempotent mutation thousands of
/// times (CopyObject per object): successful calls are journaled in batches — one record per
/// `maxCalls` calls or per `maxDelay`, whichever comes first, with every request ID — instead of
/// one fsynced journal transaction per call, which cost more CPU than the call itself (issue 19).
/// A failed call is journaled at once, on its own, with AWS's code, as `AWSCallBoundary` does.
///
/// What a crash can lose: the records of at most one unflushed batch. The attempt's intent was
/// journaled before any of its calls (write-ahead, DESIGN.md), and the steps that batch (the
/// copy) are safe to run again and check by listing, so reconciliation is unaffected; the audit
/// log then lacks those calls' request IDs, and says so by the attempt having no outcome.
actor AWSCallBatch {
    let boundary: AWSCallBoundary
    let operation: String
    let account: String
    /// What the calls act on as a whole (`bucket-a → bucket-b`), for the batch record's resource.
    let scope: String
    let maxCalls: Int
    let maxDelay: Duration

    private var requestIds: [String] = []
    private var count = 0
    private var retries = 0
    private var first: String?
    private var last: String?
    private var opened: ContinuousClock.Instant?

    init(
        boundary: AWSCallBoundary, operation: String, account: String, scope: String, maxCalls: Int = 1_000,
        maxDelay: Duration = .seconds(1)
    ) {
        self.boundary = boundary
        self.operation = operation
        self.account = account
        self.scope = scope
        self.maxCalls = maxCalls
        self.maxDelay = maxDelay
    }

    /// One successful call on `item` (a key); journaled with the batch it falls into.
    func succeeded(_ item: String, requestId: String?, retries callRetries: Int) async throws {
        if count == 0 {
            first = item
            opened = ContinuousClock.now
        }
        last = item
        count += 1
        retries += callRetries
        requestIds.append(requestId ?? "-")
        if count >= maxCalls || opened.map({ ContinuousClock.now - $0 >= maxDelay }) == true { try await flush() }
    }

    /// One failed call, journaled at once with AWS's code and request ID.
    func failed(_ operation: String, resource: String, code: String, requestId: String?, retries: Int) async throws {
        try await boundary.context.record(
            AWSCallRecord(
                service: boundary.service, operation: operation, account: account, region: boundary.region, resource: resource,
                requestId: requestId, outcome: code, retries: retries, mutating: true))
    }

    /// Journals the calls not yet journaled, as one record.
    func flush() async throws {
        guard count > 0 else { return }
        let record = AWSCallRecord(
            service: boundary.service, operation: operation, account: account, region: boundary.region,
            resource: "\(scope): \(count) object\(count == 1 ? "" : "s"), \(first ?? "") … \(last ?? "")",
            requestId: requestIds.joined(separator: " "), outcome: "ok", retries: retries, mutating: true, calls: count)
        count = 0
        retries = 0
        requestIds.removeAll(keepingCapacity: true)
        try await boundary.context.record(record)
    }
}
