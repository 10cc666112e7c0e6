/// The parameters of one EC2 Query request (form body, or query string for GET). EC2 flattens
/// differently from the other Query services (botocore's `ec2` protocol): lists are `Name.N`
/// with no member name (`GroupId.1`), filters are `Filter.N.Name` with `Filter.N.Value.M`.
struct EC2Parameters {
    private let form: QueryForm
    private var values: [String: String] { form.values }

    init(_ request: SimRequest) { form = QueryForm(request) }

    var action: String? { form.action }

    func string(_ name: String) -> String? { form.string(name) }

    func bool(_ name: String) throws(SimError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw EC2Errors.invalidValue("Invalid value '\(text)' for \(name). Expecting true or false.")
        }
    }

    func int(_ name: String) throws(SimError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw EC2Errors.invalidValue("Invalid value '\(text)' for \(name). Expecting an integer.") }
        return value
    }

    /// `Name.N`, in N order.
    func list(_ name: String) -> [String] {
        indices(prefix: name + ".", suffix: "").compactMap { values["\(name).\($0)"] }
    }

    /// `Filter.N.Name` with `Filter.N.Value.M`, in N order.
    func filters() -> [(name: String, values: [String])] {
        indices(prefix: "Filter.", suffix: ".Name").compactMap { n in
            guard let name = values["Filter.\(n).Name"] else { return nil }
            return (name, list("Filter.\(n).Value"))
        }
    }

    /// The distinct N of keys `prefix + N + suffix`, ascending.
    private func indices(prefix: String, suffix: String) -> [Int] {
        var found: Set<Int> = []
        for key in values.keys where key.hasPrefix(prefix) && key.hasSuffix(suffix) {
            let middle = key.dropFirst(prefix.count).dropLast(suffix.count)
            if let n = Int(middle) { found.insert(n) }
        }
        return found.sorted()
    }
}
