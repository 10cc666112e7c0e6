import Foundation

/// What `cutoverctl status` shows for a copy in progress: objects and bytes done of the total,
/// the rate and the time left at that rate (real time, measured on a monotonic clock).
struct S3CopyProgress: Sendable {
    let objects: Int
    let bytes: Int64
    private(set) var objectsDone = 0
    private(set) var bytesDone: Int64 = 0
    private(set) var copied = 0
    private(set) var unchanged = 0

    init(objects: Int, bytes: Int64) {
        self.objects = objects
        self.bytes = bytes
    }

    mutating func record(size: Int64, copied wasCopied: Bool) {
        objectsDone += 1
        bytesDone += size
        if wasCopied { copied += 1 } else { unchanged += 1 }
    }

    /// `1500/3000 objects, 12.0/24.0 MiB, 450 objects/s, 3.6 MiB/s, ETA 3s (1500 copied, 0 unchanged)`.
    func text(elapsed: TimeInterval) -> String {
        var parts = ["\(objectsDone)/\(objects) objects", "\(Self.size(bytesDone))/\(Self.size(bytes))"]
        if elapsed > 0, objectsDone > 0 {
            let rate = Double(objectsDone) / elapsed
            parts.append(String(format: "%.0f objects/s", rate))
            parts.append("\(Self.size(Int64(Double(bytesDone) / elapsed)))/s")
            let left =
                bytes > 0 && bytesDone > 0
                ? Double(bytes - bytesDone) / (Double(bytesDone) / elapsed)
                : Double(objects - objectsDone) / rate
            parts.append("ETA \(Self.duration(left))")
        }
        return parts.joined(separator: ", ") + " (\(copied) copied, \(unchanged) unchanged)"
    }

    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
    }
}
