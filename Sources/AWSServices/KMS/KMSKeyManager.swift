/// Who manages a KMS key: AWS (an `aws/…` key, not shareable) or the customer.
public enum KMSKeyManager: String, Sendable, Equatable, Decodable {
    case aws = "AWS"
    case customer = "CUSTOMER"
}
