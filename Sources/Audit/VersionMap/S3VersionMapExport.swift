import Engine
import Foundation

/// The old → new version IDs of a run's history copies (issue 17), read from its audit log:
/// every `aws.call` record whose `versionMap` lists the versions and delete markers a copy
/// reproduced (`AWSCallRecord.VersionCopy`). `cutoverctl audit export RUN -o FILE
/// --version-map MAP.csv` writes them as CSV, one row per reproduced entry, each key's rows
/// together in its history's order (oldest → newest, `position`):
///
/// ```
/// step,attempt,source,destination,key,position,sourceVersionId,versionId,deleteMarker
/// move-images.copy-to-staging,1,admin-images,admin-images-staging,logo.png,1,3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY,Xc9K…,false
/// ```
///
/// `source` and `destination` come from the record's resource (`bucket-a → bucket-b: …`); keys and
/// IDs are quoted as RFC 4180 requires when they hold a comma, quote or line break.
public struct S3VersionMapExport: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var step: String
        public var attempt: Int
        public var source: String
        public var destination: String
        public var mapping: AWSCallRecord.VersionCopy

        var group: String { "\(step)\u{0}\(destination)\u{0}\(mapping.key)" }
    }

    public private(set) var rows: [Row] = []

    public static let header = "step,attempt,source,destination,key,position,sourceVersionId,versionId,deleteMarker"

    /// Each destination version once: a resumed or repeated copy journals the entries it found
    /// already copied again (`ListObjectVersions` records), which adds nothing new here.
    public init(timeline: AuditTimeline) {
        var seen = Set<String>()
        for entry in timeline.entries {
            guard let call = entry.aws, call.outcome == "ok", let map = call.versionMap else { continue }
            let (source, destination) = Self.buckets(call.resource ?? "")
            for mapping in map {
                guard seen.insert("\(destination)\u{0}\(mapping.key)\u{0}\(mapping.versionId)").inserted else { continue }
                rows.append(
                    Row(step: entry.step ?? "", attempt: entry.attempt ?? 0, source: source, destination: destination, mapping: mapping))
            }
        }
        // Each key's rows together, oldest first (versions and markers come in separate records).
        var firstSeen: [String: Int] = [:]
        for (index, row) in rows.enumerated() { firstSeen[row.group, default: index] = min(firstSeen[row.group] ?? index, index) }
        rows = rows.enumerated().sorted { a, b in
            let (left, right) = (firstSeen[a.element.group]!, firstSeen[b.element.group]!)
            if left != right { return left < right }
            let (p, q) = (a.element.mapping.position ?? Int.max, b.element.mapping.position ?? Int.max)
            return p != q ? p < q : a.offset < b.offset
        }.map(\.element)
    }

    /// `a → b: …` (and `a → b already copied: …`) gives (a, b); a marker batch (`b delete markers as in a: …`) gives (a, b) too.
    static func buckets(_ resource: String) -> (String, String) {
        let scope = resource.split(separator: ":", maxSplits: 1).first.map(String.init) ?? resource
        if let arrow = scope.range(of: " → ") {
            let target = scope[arrow.upperBound...]
            return (String(scope[..<arrow.lowerBound]), String(target.split(separator: " ").first ?? target))
        }
        if let marker = scope.range(of: " delete markers as in ") {
            return (String(scope[marker.upperBound...]), String(scope[..<marker.lowerBound]))
        }
        return ("", scope)
    }

    public var csv: String {
        var lines = [Self.header]
        for row in rows {
            lines.append(
                [
                    row.step, String(row.attempt), row.source, row.destination, row.mapping.key,
                    row.mapping.position.map(String.init) ?? "", row.mapping.sourceVersionId,
                    row.mapping.versionId, String(row.mapping.deleteMarker ?? false),
                ].map(Self.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
