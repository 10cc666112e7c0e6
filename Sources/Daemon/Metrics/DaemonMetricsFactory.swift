import CoreMetrics

/// swift-metrics' backend for cutoverd: what libraries report through `Timer`, `Counter` and
/// `Recorder` lands in `DaemonMetrics.library` and is served on `/metrics` by our own renderer.
///
/// Why not swift-prometheus (2.4.1): its registry keeps families in a dictionary and writes them in
/// that order, which changes from one process to the next, and its swift-metrics factory registers
/// every family with no HELP line. `/metrics` has a stable order and HELP on every family
/// (the exposition tests pin both), so our renderer stays and takes the libraries' series too.
public struct DaemonMetricsFactory: MetricsFactory {
    let metrics: LibraryMetrics

    public init(_ metrics: DaemonMetrics) { self.metrics = metrics.library }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Series(metrics, label, dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        Series(metrics, label, dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Series(metrics, label, dimensions, histogram: aggregate)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Series(metrics, label, dimensions)
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    /// One series of one family; swift-metrics requires handlers to be classes.
    final class Series: CounterHandler, FloatingPointCounterHandler, RecorderHandler, TimerHandler, Sendable {
        let metrics: LibraryMetrics
        let name: String
        let key: LibraryMetrics.Key
        let histogram: Bool

        init(_ metrics: LibraryMetrics, _ name: String, _ labels: [(String, String)], histogram: Bool = false) {
            self.metrics = metrics
            self.name = name
            self.key = LibraryMetrics.key(labels)
            self.histogram = histogram
        }

        func increment(by amount: Int64) { metrics.add(name, key, counter: Double(amount)) }
        func increment(by amount: Double) { metrics.add(name, key, counter: amount) }
        func reset() { metrics.resetCounter(name, key) }
        func record(_ value: Int64) { record(Double(value)) }
        func record(_ value: Double) {
            if histogram { metrics.observe(name, key, seconds: value) } else { metrics.set(name, key, gauge: value) }
        }
        func recordNanoseconds(_ duration: Int64) { metrics.observe(name, key, seconds: Double(duration) / 1e9) }
    }
}
