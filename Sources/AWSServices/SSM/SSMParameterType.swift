/// A Parameter Store parameter's type. `SecureString` values are encrypted with KMS and are
/// secrets: Cutover never journals, logs or shows them.
public enum SSMParameterType: String, Sendable, Hashable, CaseIterable, Decodable {
    case string = "String"
    case stringList = "StringList"
    case secureString = "SecureString"

    public var isSecret: Bool { self == .secureString }
}
