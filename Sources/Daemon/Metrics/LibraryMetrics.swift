import Synchronization

/// What the libraries report through swift-metrics (`Timer`, `Counter`, `Recorder`), kept for
/// `/metrics`: the AWS client's call latencies and the engine's step-attempt durations as
/// histograms, and any counter or gauge a library adds later.
///
/// A family appears once it has a series, after the daemon's own families, sorted by name; its
/// series are sorted by label values, so the output is stable. Histograms use fixed buckets per
/// family (`buckets(for:)`), in seconds.
public final class LibraryMetrics: Sendable {
    enum Value: Sendable {
        case counter(Double)
        case gauge(Double)
        case histogram(Histogram)
    }

    struct Histogram: Sendable {
        var bounds: [Double]
        /// Observations per bucket (not cumulative), one more than `bounds` for +Inf.
        var counts: [Int]
        var sum: Double = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            counts = Array(repeating: 0, count: bounds.count + 1)
        }

        mutating func observe(_ value: Double) {
            counts[bounds.firstIndex { value <= $0 } ?? bounds.count] += 1
            sum += value
        }
    }

    /// Label pairs flattened (name, value, name, value, …): hashable and sortable.
    typealias Key = [String]

    private let families = Mutex<[String: [Key: Value]]>([:])

    public init() {}

    /// HELP text for the families Cutover's libraries report; others get a generic line.
    static let help: [String: String] = [
        "cutover_aws_call_duration_seconds": "AWS API call latency including retries, by service, operation and outcome.",
        "cutover_step_duration_seconds": "Step attempt durations (run, undo or check), by step type, phase and outcome.",
    ]

    /// Bucket upper bounds in seconds: AWS calls take milliseconds to a minute; step attempts up
    /// to hours (a forced wait is a timer, not an attempt, but a copy step can take that long).
    static func buckets(for name: String) -> [Double] {
        switch name {
        case "cutover_step_duration_seconds":
            [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200]
        default:
            [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
        }
    }

    /// The series key for `labels`: made once per swift-metrics handler, not per observation.
    static func key(_ labels: [(String, String)]) -> Key { labels.flatMap { [$0.0, $0.1] } }

    func add(_ name: String, _ key: Key, counter amount: Double) {
        update(name, key) { value in
            if case .counter(let old)? = value { value = .counter(old + amount) } else { value = .counter(amount) }
        }
    }

    func resetCounter(_ name: String, _ key: Key) {
        update(name, key) { $0 = .counter(0) }
    }

    func set(_ name: String, _ key: Key, gauge: Double) {
        update(name, key) { $0 = .gauge(gauge) }
    }

    func observe(_ name: String, _ key: Key, seconds: Double) {
        update(name, key) { value in
            var histogram: Histogram
            if case .histogram(let old)? = value {
                histogram = old
                // Cleared first, so the bucket counts are not copied on write: every AWS call ends
                // in one observation.
                value = nil
            } else {
                histogram = Histogram(bounds: Self.buckets(for: name))
            }
            histogram.observe(seconds)
            value = .histogram(histogram)
        }
    }

    private func update(_ name: String, _ key: Key, _ change: (inout Value?) -> Void) {
        families.withLock { families in change(&families[name, default: [:]][key]) }
    }

    /// The observations in one histogram series, for tests.
    public func histogramCount(_ name: String, _ labels: [(String, String)]) -> Int {
        let key = Self.key(labels)
        guard case .histogram(let histogram)? = families.withLock({ $0[name]?[key] }) else { return 0 }
        return histogram.counts.reduce(0, +)
    }

    /// The families in Prometheus' text format 0.0.4.
    func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for (name, series) in snapshot.sorted(by: { $0.key < $1.key }) where !series.isEmpty {
            let sorted = series.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            let type =
                switch sorted[0].value {
                case .counter: "counter"
                case .gauge: "gauge"
                case .histogram: "histogram"
                }
            out += "# HELP \(name) \(PrometheusText.escapeHelp(Self.help[name] ?? "Reported through swift-metrics."))\n"
            out += "# TYPE \(name) \(type)\n"
            for (key, value) in sorted {
                let labels = stride(from: 0, to: key.count - 1, by: 2).map { (name: key[$0], value: key[$0 + 1]) }
                switch value {
                case .counter(let number), .gauge(let number):
                    out += "\(name)\(PrometheusText.labels(labels)) \(PrometheusText.value(number))\n"
                case .histogram(let histogram):
                    var cumulative = 0
                    for (index, count) in histogram.counts.enumerated() {
                        cumulative += count
                        let bound = index < histogram.bounds.count ? PrometheusText.value(histogram.bounds[index]) : "+Inf"
                        out += "\(name)_bucket\(PrometheusText.labels(labels + [(name: "le", value: bound)])) \(cumulative)\n"
                    }
                    out += "\(name)_sum\(PrometheusText.labels(labels)) \(PrometheusText.value(histogram.sum))\n"
                    out += "\(name)_count\(PrometheusText.labels(labels)) \(cumulative)\n"
                }
            }
        }
        return out
    }
}
