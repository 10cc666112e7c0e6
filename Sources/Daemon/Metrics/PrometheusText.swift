/// The pieces of Prometheus' text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/): escaping and number formatting.
enum PrometheusText {
    /// The `Content-Type` of `/metrics`.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A label value: `\` → `\\`, `"` → `\"`, line feed → `\n`.
    static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.count)
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// HELP text: `\` → `\\`, line feed → `\n` (quotes stay as they are).
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// `{a="x",b="y"}`, or nothing without labels.
    static func labels(_ pairs: [(name: String, value: String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "{" + pairs.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// Integral values without a fraction (`3`), others as Swift prints them (`0.25`, `1e+20`),
    /// which Go's `ParseFloat` (Prometheus) reads; `+Inf`, `-Inf`, `NaN` as the format spells them.
    static func value(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "+Inf" : "-Inf" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }
}
