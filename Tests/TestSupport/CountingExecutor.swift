import Synchronization

/// A task executor that counts the jobs it is given and runs them on the global executor: a
/// test sees that code asked for a transport's executor (`HTTPTransport.taskExecutor`) without
/// depending on which thread that executor has.
public final class CountingExecutor: TaskExecutor, Sendable {
    private let count = Atomic<Int>(0)

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        count.add(1, ordering: .relaxed)
        globalConcurrentExecutor.enqueue(job)
    }

    /// Jobs enqueued so far.
    public var jobs: Int { count.load(ordering: .relaxed) }
}
