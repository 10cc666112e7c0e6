import Foundation

/// A strict reader of Prometheus' text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), written from
/// the format's description so that `DaemonMetrics.render()` is checked by something other than
/// itself. It refuses what Prometheus would refuse (bad names, bad escapes, a TYPE after its
/// samples, a family split in two, duplicate series, unparsable values) and a little more that
/// our output should never contain (blank lines, a missing final newline, negative counters).
enum MetricsExposition {
    struct Sample: Equatable {
        var labels: [String: String]
        var value: Double
    }

    struct Family {
        var name: String
        var type: String?
        var help: String?
        var samples: [Sample] = []
    }

    struct Problem: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    static let types: Set<String> = ["counter", "gauge", "histogram", "summary", "untyped"]

    static func parse(_ text: String) throws -> [Family] {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Problem(line: 0, message: "the exposition must end with a line feed") }
        var families: [Family] = []
        var closed: Set<String> = []
        var series: Set<String> = []

        func family(_ name: String, line: Int) throws -> Int {
            if let last = families.indices.last, families[last].name == name { return last }
            guard !closed.contains(name) else { throw Problem(line: line, message: "\(name) appears again after another family") }
            if let last = families.last { closed.insert(last.name) }
            families.append(Family(name: name))
            return families.count - 1
        }

        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let number = offset + 1
            guard !line.isEmpty else { throw Problem(line: number, message: "blank line") }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                guard isMetricName(name) else { throw Problem(line: number, message: "bad metric name '\(name)'") }
                let argument = rest.dropFirst(name.count).drop { $0 == " " }
                let index = try family(name, line: number)
                if line.hasPrefix("# HELP ") {
                    guard families[index].help == nil else { throw Problem(line: number, message: "second HELP for \(name)") }
                    families[index].help = try unescape(argument, quotes: false, line: number)
                } else {
                    guard families[index].type == nil else { throw Problem(line: number, message: "second TYPE for \(name)") }
                    guard families[index].samples.isEmpty else {
                        throw Problem(line: number, message: "TYPE for \(name) after its samples")
                    }
                    guard types.contains(String(argument)) else { throw Problem(line: number, message: "unknown type '\(argument)'") }
                    families[index].type = String(argument)
                }
                continue
            }
            if line.hasPrefix("#") { continue }

            var rest = Substring(line)
            let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
            guard isMetricName(name) else { throw Problem(line: number, message: "bad sample name in '\(line)'") }
            rest = rest.dropFirst(name.count)
            var labels: [String: String] = [:]
            if rest.first == "{" {
                rest = rest.dropFirst()
                while rest.first != "}" {
                    let label = String(rest.prefix { $0 != "=" })
                    guard isLabelName(label) else { throw Problem(line: number, message: "bad label name '\(label)'") }
                    guard labels[label] == nil else { throw Problem(line: number, message: "label \(label) twice") }
                    rest = rest.dropFirst(label.count)
                    guard rest.hasPrefix("=\"") else { throw Problem(line: number, message: "label \(label) without =\"") }
                    rest = rest.dropFirst(2)
                    var raw = ""
                    var escaped = false
                    while let character = rest.first {
                        rest = rest.dropFirst()
                        if escaped {
                            raw.append("\\")
                            raw.append(character)
                            escaped = false
                        } else if character == "\\" {
                            escaped = true
                        } else if character == "\"" {
                            break
                        } else {
                            raw.append(character)
                        }
                    }
                    labels[label] = try unescape(Substring(raw), quotes: true, line: number)
                    if rest.first == "," {
                        rest = rest.dropFirst()
                    } else if rest.first != "}" {
                        throw Problem(line: number, message: "expected , or } after label \(label)")
                    }
                }
                rest = rest.dropFirst()
            }
            guard rest.first == " " else { throw Problem(line: number, message: "no space before the value in '\(line)'") }
            let fields = rest.split(separator: " ")
            guard (1...2).contains(fields.count), let value = parseValue(fields[0]) else {
                throw Problem(line: number, message: "bad value in '\(line)'")
            }
            if fields.count == 2, Int64(fields[1]) == nil { throw Problem(line: number, message: "bad timestamp in '\(line)'") }
            // A histogram's samples are NAME_bucket, NAME_sum and NAME_count, in NAME's family.
            let owner =
                families.last.flatMap { last in
                    last.type == "histogram" && ["_bucket", "_sum", "_count"].contains { name == last.name + $0 } ? last.name : nil
                } ?? name
            let index = try family(owner, line: number)
            if families[index].type == "counter", value < 0 { throw Problem(line: number, message: "negative counter") }
            let key = name + labels.sorted { $0.key < $1.key }.map { "\u{1}\($0.key)\u{2}\($0.value)" }.joined()
            guard series.insert(key).inserted else { throw Problem(line: number, message: "duplicate series '\(line)'") }
            families[index].samples.append(Sample(labels: labels, value: value))
        }
        for family in families where family.type == nil || family.help == nil {
            throw Problem(line: 0, message: "\(family.name) has no TYPE or no HELP")
        }
        return families
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_", !name.hasPrefix("__") else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `\\` and `\n` (and `\"` in label values); any other escape is an error.
    static func unescape(_ text: Substring, quotes: Bool, line: Int) throws -> String {
        var out = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else {
                out.append(character)
                continue
            }
            switch iterator.next() {
            case "\\": out.append("\\")
            case "n": out.append("\n")
            case "\"" where quotes: out.append("\"")
            case let other: throw Problem(line: line, message: "bad escape \\\(other.map(String.init) ?? "")")
            }
        }
        return out
    }

    /// Go's `ParseFloat` forms plus the format's `+Inf`, `-Inf`, `NaN`.
    static func parseValue(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Double(text)
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
