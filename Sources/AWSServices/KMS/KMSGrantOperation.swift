/// The operations a KMS grant can allow (botocore's `GrantOperation`).
public enum KMSGrantOperation: String, Sendable, Equatable, Codable, CaseIterable {
    case decrypt = "Decrypt"
    case encrypt = "Encrypt"
    case generateDataKey = "GenerateDataKey"
    case generateDataKeyWithoutPlaintext = "GenerateDataKeyWithoutPlaintext"
    case reEncryptFrom = "ReEncryptFrom"
    case reEncryptTo = "ReEncryptTo"
    case sign = "Sign"
    case verify = "Verify"
    case getPublicKey = "GetPublicKey"
    case createGrant = "CreateGrant"
    case retireGrant = "RetireGrant"
    case describeKey = "DescribeKey"
    case generateDataKeyPair = "GenerateDataKeyPair"
    case generateDataKeyPairWithoutPlaintext = "GenerateDataKeyPairWithoutPlaintext"
    case generateMac = "GenerateMac"
    case verifyMac = "VerifyMac"
    case deriveSharedSecret = "DeriveSharedSecret"

    /// What RDS needs to copy or restore a snapshot encrypted with the key (AWS-NOTES §5.1).
    public static let rdsSnapshotCopy: [KMSGrantOperation] = [
        .decrypt, .encrypt, .describeKey, .createGrant, .reEncryptFrom, .reEncryptTo, .generateDataKey,
        .generateDataKeyWithoutPlaintext,
    ]
}
