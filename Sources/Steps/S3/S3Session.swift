import AWSClient
import AWSServices
import Engine
import Foundation

/// An S3 client for one runbook account, with the account's name and ID for errors, and a way to
/// make a mutating call that is journaled right after it returns (with its request ID, or its
/// error code) as the engine requires.
struct S3Session: Sendable {
    let client: S3Client
    /// The runbook's name for the account (`legacy`).
    let account: String
    /// The 12-digit ID, when the runbook declares it.
    let accountId: String?
    let region: String

    static func open(_ sessions: any AccountSessions, _ account: String) async throws -> S3Session {
        let client = try await AWSCallBoundary.read(account: sessions.accountId(account) ?? account, resource: nil) {
            try await sessions.s3(account)
        }
        return S3Session(client: client, account: account, accountId: sessions.accountId(account), region: sessions.region)
    }

    /// The account as errors and the journal name it: the ID when known.
    var label: String { accountId ?? account }

    /// A read: errors mapped, nothing journaled.
    func read<T>(_ resource: String?, _ body: (S3Client) async throws -> T) async throws -> T {
        try await AWSCallBoundary.read(account: label, resource: resource) { try await body(client) }
    }

    /// A mutating call, journaled with its outcome before this returns. What the call threw is
    /// passed on unchanged, for the S3 steps that branch on AWS's answer (`BucketAlreadyOwnedByYou`).
    func mutate<T>(
        _ context: StepContext, _ operation: String, resource: String, requestId: (T) -> String?,
        _ body: (S3Client) async throws -> T
    ) async throws -> T {
        let boundary = AWSCallBoundary(context: context, service: "s3", region: region)
        return try await boundary.journaled(operation, account: label, resource: resource, requestId: requestId) { try await body(client) }
    }
}
