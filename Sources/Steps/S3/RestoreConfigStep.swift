import AWSClient
import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.restore-config`: puts the captured (and rewritten) configuration on the re-created bucket,
/// in the order AWS needs (`S3CapturedConfig.restoreOrder`). Every PUT replaces the whole
/// sub-resource, so running it again is harmless; `check` therefore says "run it again".
/// Kept on rollback: after the point of no return the bucket is the data's new home.
struct RestoreConfigStep: TypedStep {
    let sessions: any AccountSessions

    func run(_ inputs: S3RestoreConfigInputs, _ context: StepContext) async throws -> TypedStepResult<S3RestoreConfigOutputs> {
        let bucket = inputs.bucket
        let capture = inputs.capture
        let session = try await S3Session.open(sessions, inputs.account)
        // `configOutput`: `originalConfig` when a rollback restores the source bucket as it was.
        let output = inputs.configOutput ?? "config"
        guard let text = context.output(of: capture, output) else {
            throw StepError(
                code: "NoCapturedConfig", message: "\(capture) recorded no configuration", retryable: false,
                account: session.label, resource: bucket)
        }
        let config: S3CapturedConfig
        do {
            config = try S3CapturedConfig.decode(text)
        } catch {
            throw StepError(
                code: "NoCapturedConfig", message: "the configuration journaled by \(capture) cannot be read: \(error)",
                retryable: false, account: session.label, resource: bucket)
        }
        var restored: [String] = []
        try await AWSCallBoundary.read(account: session.label, resource: bucket) {
            for subresource in S3CapturedConfig.restoreOrder {
                guard let document = config.documents[subresource.rawValue] else { continue }
                if subresource == .objectLock && !config.objectLockEnabled { continue }
                let configuration = BucketSubresourceDocument(
                    subresource: subresource, document: document,
                    transitionDefaultMinimumObjectSize: subresource == .lifecycle ? config.lifecycleMinimumObjectSize : nil)
                _ = try await session.mutate(context, "Put\(subresource.operationStem)", resource: bucket, requestId: \.requestId) {
                    try await $0.putBucketSubresource(configuration, bucket: bucket)
                }
                restored.append(subresource.rawValue)
            }
            restored += try await S3ACLRestore.apply(context, session: session, bucket: bucket, capture: capture, config: config)
        }
        return .done(
            S3RestoreConfigOutputs(
                restored: restored.joined(separator: ","), unmappedAccountIds: config.unmappedAccountIds.joined(separator: ",")))
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    func undo(_ context: StepContext) async throws {}
}
