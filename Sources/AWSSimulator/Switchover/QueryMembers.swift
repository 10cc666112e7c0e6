/// Query-protocol lists as botocore flattens them for the `query` protocol services (ELBv2,
/// CloudWatch): `Name.member.N` for scalars, `Name.member.N.Field` for structures.
struct QueryMembers {
    let form: QueryForm

    init(_ request: SimRequest) { form = QueryForm(request) }

    func string(_ name: String) -> String? { form.string(name) }

    /// `Name.member.1`, `Name.member.2`, … until the first gap.
    func list(_ name: String) -> [String] {
        var out: [String] = []
        var i = 1
        while let value = form.values["\(name).member.\(i)"] {
            out.append(value)
            i += 1
        }
        return out
    }

    /// The prefixes `Name.member.1`, `Name.member.2`, … of structure members present in the form.
    func structures(_ name: String) -> [String] {
        var out: [String] = []
        var i = 1
        while form.values.keys.contains(where: { $0.hasPrefix("\(name).member.\(i).") }) {
            out.append("\(name).member.\(i)")
            i += 1
        }
        return out
    }

    /// `Name.member.N.Key` / `.Value`.
    func tags(_ name: String) -> [String: String] {
        var tags: [String: String] = [:]
        for prefix in structures(name) {
            if let key = form.values["\(prefix).Key"] { tags[key] = form.values["\(prefix).Value"] ?? "" }
        }
        return tags
    }
}
