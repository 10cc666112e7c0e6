import AWSClient

/// Reads a Query or EC2 XML answer into an `AWSDocument` with the operation's output shape, as
/// botocore's `QueryParser`/`EC2QueryParser` do: members are found by their `locationName`,
/// list items by their member name (`member`, `item`), maps by `entry`/`key`/`value`; scalars
/// are typed (booleans, numbers) and members absent from the answer are left out.
struct AWSXMLAnswerReader {
    let model: AWSServiceModel

    func read(_ node: XMLNode, as ref: AWSShapeRef) -> AWSDocument {
        switch ref {
        case .scalar(let kind): return scalar(node.trimmedText, kind)
        case .shape(let index):
            guard let shape = model.shape(index) else { return .string(node.trimmedText) }
            switch shape {
            case .structure(let members):
                var out: [String: AWSDocument] = [:]
                for member in members {
                    let name = member.locationName ?? member.name
                    if let flatItems = flattenedItems(node, member: member, name: name) {
                        if !flatItems.isEmpty { out[member.name] = .list(flatItems) }
                        continue
                    }
                    guard let child = node.child(name) else { continue }
                    out[member.name] = read(child, as: member.target)
                }
                return .object(out)
            case .list(let item, let memberName, _):
                return .list(node.children(memberName ?? "member").map { read($0, as: item) })
            case .map(let key, let value, let keyName, let valueName, let flattened):
                var out: [String: AWSDocument] = [:]
                for entry in flattened ? [node] : node.children("entry") {
                    guard let keyNode = entry.child(keyName ?? "key") else { continue }
                    let keyText = read(keyNode, as: key).text
                    out[keyText] = entry.child(valueName ?? "value").map { read($0, as: value) } ?? .null
                }
                return .object(out)
            case .document:
                return .string(node.trimmedText)
            }
        }
    }

    /// A flattened list member's items: repeated elements directly under the structure.
    private func flattenedItems(_ node: XMLNode, member: AWSMember, name: String) -> [AWSDocument]? {
        guard case .shape(let index) = member.target, case .list(let item, let memberName, let flattened)? = model.shape(index),
            flattened || member.flattened
        else { return nil }
        return node.children(memberName ?? name).map { read($0, as: item) }
    }

    private func scalar(_ text: String, _ kind: AWSScalarKind) -> AWSDocument {
        switch kind {
        case .boolean: return AWSScalarText.boolean(text).map(AWSDocument.bool) ?? .string(text)
        case .integer, .float: return Double(text) != nil ? .number(text) : .string(text)
        case .string, .timestamp, .blob: return .string(text)
        }
    }
}
