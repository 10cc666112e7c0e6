extension S3CopyTuning {
    /// Runs `body` for one object, again after a backoff while it fails retryably (throttling,
    /// 5xx, a broken connection — after the client's own retries) or `alsoRetry` says so, for up
    /// to `objectRetries` extra rounds. One slow object then costs a few seconds instead of failing
    /// the whole step and making the next attempt start over with every object.
    ///
    /// `resource` is built only when a failure is mapped: on the copy's hot path most objects
    /// succeed at once, and interpolating "bucket/key" for each cost an allocation per object.
    ///
    /// - Throws: the last failure as a `StepError`, or `CancellationError` when the task is cancelled.
    func retrying<T>(
        account: String?, resource: @autoclosure () -> String, alsoRetry: (any Error) -> Bool = { _ in false }, _ body: () async throws -> T
    ) async throws -> T {
        var round = 0
        while true {
            do {
                return try await body()
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                let mapped = AWSCallBoundary.stepError(error, account: account, resource: resource())
                guard (mapped.retryable || alsoRetry(error)) && round < objectRetries else { throw mapped }
                round += 1
                try await Task.sleep(for: backoff(round: round))
            }
        }
    }
}
