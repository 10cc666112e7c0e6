import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Turns signals into an async sequence so the main task handles them between steps instead of
/// the process dying mid-call.
final class SignalWatcher: @unchecked Sendable {  // sources are only cancelled in deinit
    let signals: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init(_ numbers: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        signals = stream
        sources = numbers.map { number in
            signal(number, SIG_IGN)  // the dispatch source sees it; the default action would kill us
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    deinit { sources.forEach { $0.cancel() } }
}
