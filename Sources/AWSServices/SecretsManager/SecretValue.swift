/// A secret's value at one version. `string` is the secret itself: keep it in memory only.
public struct SecretValue: Sendable {
    public var versionId: String
    public var string: String?
    /// The version holds `SecretBinary` instead of a string.
    public var isBinary: Bool
}
