/// The names a move gives what it creates, for either kind: identifiers RDS accepts, and the tags
/// by which `check` and `undo` recognise what this run created.
enum RDSNaming {
    /// An RDS identifier from `text`: lower-case letters, digits and single hyphens, starting with
    /// a letter, at most 255 characters, not ending in a hyphen.
    static func identifier(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            let ok = character.isASCII && (character.isLetter || character.isNumber)
            if ok {
                out.append(character)
            } else if !out.isEmpty, out.last != "-" {
                out.append("-")
            }
        }
        if out.first?.isLetter != true { out = "c-" + out }
        out = String(out.prefix(255))
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// The tag every resource the move creates carries, with the run ID as its value: `check` and
    /// `undo` act only on what this run created.
    static let runTag = "cutover:run"
    /// The primitive that created the resource.
    static let stepTag = "cutover:step"
}
