/// STS input rules, as the STS API reference states them for AssumeRole [BC-STS].
enum STSValidation {
    /// `[\w+=,.@-]`: role session names, source identities, IAM user and role names.
    static func isNameCharacter(_ c: Character) -> Bool {
        guard c.isASCII else { return false }
        return c.isLetter || c.isNumber || "_+=,.@-".contains(c)
    }

    /// RoleSessionName: 2–64 characters of `[\w+=,.@-]`.
    static func isRoleSessionName(_ s: String) -> Bool {
        (2...64).contains(s.count) && s.allSatisfy(isNameCharacter)
    }

    /// SourceIdentity: 2–64 characters of `[\w+=,.@-]`.
    static func isSourceIdentity(_ s: String) -> Bool { isRoleSessionName(s) }

    /// ExternalId: 2–1224 characters of `[\w+=,.@:/-]`.
    static func isExternalId(_ s: String) -> Bool {
        (2...1224).contains(s.count) && s.allSatisfy { isNameCharacter($0) || $0 == ":" || $0 == "/" }
    }
}
