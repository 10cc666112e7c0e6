/// `${steps.ID.outputs.NAME}`: finding the references in a `with:` scalar.
enum OutputReferenceSyntax {
    struct Found: Hashable {
        var text: String
        var step: String
        var output: String
    }

    /// Every well-formed step-output reference in `text`, in order.
    static func references(in text: String) -> [Found] {
        var found: [Found] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${steps.") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            let body = rest[open.upperBound..<close]  // ID.outputs.NAME
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 3, parts[1] == "outputs", !parts[0].isEmpty, !parts[2].isEmpty {
                found.append(Found(text: String(rest[open.lowerBound...close]), step: String(parts[0]), output: String(parts[2])))
            }
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    /// Whether a `${…}` body (what is between `${` and `}`) is a step-output reference.
    static func isReference(_ body: String) -> Bool {
        !references(in: "${" + body + "}").isEmpty
    }
}
