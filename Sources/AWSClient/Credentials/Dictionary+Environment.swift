extension [String: String] {
    /// The value of `key`, or nil when unset or empty (the SDKs treat both the same).
    func nonEmpty(_ key: String) -> String? {
        guard let value = self[key], !value.isEmpty else { return nil }
        return value
    }
}
