/// The parameters of one Query-protocol request (form body, or query string for GET), with the
/// flattening conventions botocore uses: lists as `Name.<member>.N`, tags as
/// `Tags.<member>.N.Key/Value`, filters as `Filters.Filter.N.Name` / `.Values.Value.M`.
struct RDSParameters {
    private let form: QueryForm
    private var values: [String: String] { form.values }

    init(_ request: SimRequest) { form = QueryForm(request) }

    var action: String? { form.action }

    func string(_ name: String) -> String? { form.string(name) }

    func required(_ name: String) throws(SimError) -> String {
        guard let value = string(name) else { throw RDSErrors.missing(name) }
        return value
    }

    func bool(_ name: String) throws(SimError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw RDSErrors.invalidValue("Invalid boolean value for \(name): \(text)")
        }
    }

    func int(_ name: String) throws(SimError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw RDSErrors.invalidValue("Invalid integer value for \(name): \(text)") }
        return value
    }

    /// `Name.<any member name>.N`, in N order.
    func list(_ name: String) -> [String] {
        indexed(prefix: name + ".").compactMap { index, rest in rest.isEmpty ? values[name + "." + index] : nil }
    }

    /// `Name.<member>.N.Key` / `.Value`.
    func tags(_ name: String = "Tags") -> [String: String] {
        var tags: [String: String] = [:]
        for (index, rest) in indexed(prefix: name + ".") where rest == "Key" {
            if let key = values["\(name).\(index).Key"] { tags[key] = values["\(name).\(index).Value"] ?? "" }
        }
        return tags
    }

    /// `Filters.Filter.N.Name` with `Filters.Filter.N.Values.Value.M`.
    func filters() -> [(name: String, values: [String])] {
        indexed(prefix: "Filters.").compactMap { index, rest in
            guard rest == "Name", let name = values["Filters.\(index).Name"] else { return nil }
            return (name, list("Filters.\(index).Values"))
        }
    }

    /// For keys `prefix + MEMBER.N[.rest]`: the distinct (`MEMBER.N`, rest) pairs, sorted by N.
    private func indexed(prefix: String) -> [(String, String)] {
        var seen: Set<String> = []
        var out: [(Int, String, String)] = []
        for key in values.keys where key.hasPrefix(prefix) {
            let parts = key.dropFirst(prefix.count).split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, let n = Int(parts[1]) else { continue }
            let index = "\(parts[0]).\(parts[1])"
            let rest = parts.count == 3 ? String(parts[2]) : ""
            if seen.insert(index + "|" + rest).inserted { out.append((n, index, rest)) }
        }
        return out.sorted { ($0.0, $0.2) < ($1.0, $1.2) }.map { ($0.1, $0.2) }
    }
}
