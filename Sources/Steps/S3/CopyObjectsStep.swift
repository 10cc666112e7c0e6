import AWSServices
import Engine
import Foundation
import Runbook

/// `s3.copy`: runs the copy engine (`S3ObjectCopier`) from `from` to `to`. Safe to run again at
/// any time (it skips what is already there), so `check` always says "run it again".
///
/// Undo leaves the copies where they are: when this run created the destination (the
/// `createdBy` step says so), that step's undo deletes the bucket with them; a destination that
/// existed before keeps the copies (the source is untouched until the point of no return).
///
/// Its outputs are `S3CopyOutputs`, filled from the copy engine's summary
/// (`S3ObjectCopier.Summary.outputs`, `S3VersionCopier.Summary.outputs`): the engine owns what it counts.
struct CopyObjectsStep: TypedStep {
    let sessions: any AccountSessions
    let tuning: S3CopyTuning

    func run(_ inputs: S3CopyInputs, _ context: StepContext) async throws -> TypedStepResult<S3CopyOutputs> {
        let from = inputs.from
        let to = inputs.to
        // `copyAs`: the account whose session issues the copies, when it is not `from`'s.
        let issuer = inputs.copyAs ?? from.account
        let source = try await S3Session.open(sessions, issuer)
        let destination = issuer == to.account ? source : try await S3Session.open(sessions, to.account)
        let fromOwnerId = issuer == from.account ? nil : sessions.accountId(from.account)
        let grants = try await S3ObjectGrants.forStep(
            context, inputs: inputs, source: source, destination: destination, from: from, fromOwnerId: fromOwnerId)
        var copier = S3ObjectCopier(
            source: source, destination: destination, from: from, to: to,
            concurrency: inputs.concurrency ?? S3CopyTuning.defaultConcurrency, mirror: inputs.mirror ?? false,
            kmsKeys: inputs.kmsKeyMap ?? [:], tuning: tuning,
            fromOwnerId: fromOwnerId,
            maxConcurrency: inputs.maxConcurrency ?? S3CopyTuning.defaultMaxConcurrency,
            websiteRedirects: Self.websiteRedirects(context, capture: inputs.capture))
        copier.objectGrants = grants
        let configured = copier
        // `versions: all` (or a versioned source by default): the history copy (S3VersionCopy.swift).
        if let history = try await S3VersionCopy.copier(context, inputs, plain: configured) {
            let summary = try await AWSCallBoundary.read(account: source.label, resource: from.bucket) {
                try await history.run(context)
            }
            await context.progress(
                "\(summary.copiedVersions) versions and \(summary.copiedMarkers) delete markers copied, \(summary.present) already there, of \(summary.keys) keys"
            )
            return .done(summary.outputs)
        }
        let summary = try await AWSCallBoundary.read(account: source.label, resource: from.bucket) {
            try await configured.run(context)
        }
        await context.progress("\(summary.copied) copied, \(summary.skipped) unchanged of \(summary.objects)")
        return .done(summary.outputs)
    }

    /// Whether the objects may carry website redirects, from the move's captured configuration
    /// (the staging bucket of a move is no website, but its objects came from one); nil when
    /// there is no capture to go by.
    static func websiteRedirects(_ context: StepContext, capture: String?) -> Bool? {
        guard let capture, let names = context.output(of: capture, "subresources") else { return nil }
        return names.split(separator: ",").contains { $0 == Substring(BucketSubresource.website.rawValue) }
    }

    func check(_ context: StepContext) async throws -> CheckResult { .notDone }

    func undo(_ context: StepContext) async throws {
        await context.progress("copies are removed with the destination bucket when this run created it; otherwise kept")
    }

    func describe(_ step: PlannedStep) -> String { step.title }
}
