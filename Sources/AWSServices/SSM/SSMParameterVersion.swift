import Foundation

/// One entry of `GetParameterHistory`. `value` is decrypted when asked for: keep it in memory.
public struct SSMParameterVersion: Sendable, Decodable {
    public var name: String
    public var version: Int
    public var type: SSMParameterType
    public var value: String?
    public var keyId: String?
    public var labels: [String]
    public var lastModifiedDate: Date?

    enum CodingKeys: String, CodingKey {
        case name = "Name", version = "Version", type = "Type", value = "Value", keyId = "KeyId", labels = "Labels"
        case lastModifiedDate = "LastModifiedDate"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        version = try c.decode(Int.self, forKey: .version)
        type = try c.decode(SSMParameterType.self, forKey: .type)
        value = try c.decodeIfPresent(String.self, forKey: .value)
        keyId = try c.decodeIfPresent(String.self, forKey: .keyId)
        labels = try c.decodeIfPresent([String].self, forKey: .labels) ?? []
        lastModifiedDate = try c.decodeIfPresent(Date.self, forKey: .lastModifiedDate)
    }
}
