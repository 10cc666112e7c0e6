import Synchronization

/// Hands the copy's objects to a fixed set of worker tasks and keeps their number at the
/// adaptive concurrency limit (`S3ConcurrencyController`).
///
/// Why workers and not one child task per object: with a child per object, every completion woke
/// the parent task to tally it and start the next child, so each object cost a task allocation and
/// two task hand-offs (child → parent → new child) on top of the transport's own. A worker takes
/// the next object itself as soon as its copy is done, and the parent only wakes when the limit
/// grows (once per round of the controller) to start more workers.
///
/// The semantics are the controller's, as before: at most `limit` objects are in flight; a worker
/// that finishes while more workers run than the limit allows (after a halving on SlowDown)
/// stops instead of taking the next object; when the limit grows, `finished` says how many
/// workers to add. `Tally` is the caller's running totals (summary, progress, failures), updated
/// under the same lock as the schedule so one completion takes one lock.
final class S3CopyScheduler<Tally: Sendable>: Sendable {
    private struct State: Sendable {
        var next = 0
        /// Workers started and not yet stopped: each holds at most one object in flight.
        var workers = 0
        var controller: S3ConcurrencyController
        var tally: Tally
    }

    /// Objects to hand out (indices `0..<count`).
    let count: Int
    private let state: Mutex<State>

    init(count: Int, controller: S3ConcurrencyController, tally: Tally) {
        self.count = count
        state = Mutex(State(controller: controller, tally: tally))
    }

    /// The workers to start with: the initial limit, or fewer when there is less work.
    func start() -> Int {
        state.withLock { state in
            let add = max(0, min(state.controller.limit, count - state.next) - state.workers)
            state.workers += add
            return add
        }
    }

    /// The index of the next object for a worker that has none in flight, or nil when that
    /// worker must stop: no object is left, or more workers run than the limit allows now.
    func take() -> Int? {
        state.withLock { state in
            guard state.next < count, state.workers <= state.controller.limit else {
                state.workers -= 1
                return nil
            }
            state.next += 1
            return state.next - 1
        }
    }

    /// A worker's object is done after `latency` (`throttled` when S3 throttled it): the
    /// controller records it, `update` adds it to the tally, and the answer says how many
    /// workers to add because the limit grew (0 almost always), counted as started already.
    /// `signalled`: the worker reported each throttle of this object as it happened
    /// (`throttleSignalled`), so the controller only counts it here.
    func finished<Answer>(
        latency: Duration, throttled: Bool, signalled: Bool = false, now: Duration,
        _ update: (inout Tally, S3ConcurrencyController) -> Answer
    ) -> (addWorkers: Int, answer: Answer) {
        state.withLock { state in
            state.controller.record(latency: latency, throttled: throttled, now: now, signalled: signalled)
            let answer = update(&state.tally, state.controller)
            let add = max(0, min(state.controller.limit, state.workers + count - state.next) - state.workers)
            state.workers += add
            return (add, answer)
        }
    }

    /// S3 throttled one of the copy's requests just now (before the client's retry): the limit
    /// halves at once, and workers above it stop as they finish their objects.
    func throttleSignalled(now: Duration) {
        state.withLock { $0.controller.throttleSignalled(now: now) }
    }

    /// The controller as it stands (limit, peak, halvings, throttled).
    var controller: S3ConcurrencyController { state.withLock { $0.controller } }

    /// The tally as it stands.
    var tally: Tally { state.withLock { $0.tally } }

    /// Workers started and not yet stopped (for tests).
    var workers: Int { state.withLock { $0.workers } }
}
