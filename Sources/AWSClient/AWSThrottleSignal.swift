/// Tells a caller the moment S3 (or any service) throttles one of its requests, before the
/// client's own backoff and retry, which can take seconds.
///
/// Why: the copy engine's adaptive concurrency must halve when S3 answers `SlowDown`. Learning it
/// only when the throttled request finally succeeds is too late: while that one request backs
/// off, hundreds of others complete and the limit keeps growing into the throttling. A task-local
/// observer reaches the engine without threading a callback through every service call; it is
/// read only on the throttled path, so other requests pay nothing.
///
/// The task-local holds a class, not a bare closure: with an optional `@Sendable` closure as its
/// value, `make build`'s release binary (Swift 6.3.1, static runtime; the debug builds were fine)
/// crashed in `swift_task_localValuePush` on the first copy, reading the value's type metadata
/// through a null pointer.
public final class AWSThrottleSignal: Sendable {
    /// Called (on the requesting task) once per throttled attempt: a throttling error code or a 503.
    @TaskLocal public static var observer: AWSThrottleSignal?

    private let signal: @Sendable () -> Void

    public init(_ signal: @escaping @Sendable () -> Void) { self.signal = signal }

    /// Reports one throttled attempt to the task's observer, if it has one.
    static func throttled() { observer?.signal() }
}
