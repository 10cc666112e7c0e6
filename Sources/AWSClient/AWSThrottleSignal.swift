/// Tells a caller the moment S3 (or any service) throttles one of its requests, before the
/// client's own backoff and retry, which can take seconds.
///
/// Why: the copy engine's adaptive concurrency must halve when S3 answers `SlowDown`. Learning it
/// only when the throttled request finally succeeds is too late: while that one request backs
/// off, hundreds of others complete and the limit keeps growing into the throttling. A task-local
/// observer reaches the engine without threading a callback through every service call; it is
/// read only on the throttled path, so other requests pay nothing.
public enum AWSThrottleSignal {
    /// Called (on the requesting task) once per throttled attempt: a throttling error code or a 503.
    @TaskLocal public static var observer: (@Sendable () -> Void)?
}
