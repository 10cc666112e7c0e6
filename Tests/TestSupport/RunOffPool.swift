import Foundation

/// Runs `body` — work that blocks its thread: a child process run to its exit, a pipe read to its
/// end, a blocking socket exchange, a semaphore wait — on a thread of its own, and suspends the
/// calling task until it returns.
///
/// Swift Testing runs every test, synchronous ones included, on Swift's cooperative pool, which
/// has one thread per core (two in CI). Two tests blocking those threads at once stop every other
/// test's tasks, and every in-process server's handlers, for as long as they block: in the +400 d
/// pass that stalled the whole test process for over half a minute. A task on the pool must
/// suspend instead, and this is how. (`Task.detached` is no way out: it runs on the same pool.)
///
/// `body` cannot be cancelled: the calling task waits for it, so it must end by itself.
public func runOffPool<T: Sendable, Failure: Error>(
    _ body: @escaping @Sendable () throws(Failure) -> T
) async throws(Failure) -> T {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
        let thread = Thread {
            do throws(Failure) {
                continuation.resume(returning: .success(try body()))
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        thread.start()
    }
    return try result.get()
}
