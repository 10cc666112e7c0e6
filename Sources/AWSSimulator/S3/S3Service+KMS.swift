import Foundation

/// SSE-KMS objects and the caller's KMS permissions (AWS-NOTES §3.4: reading an SSE-KMS object
/// needs kms:Decrypt on its key, writing one kms:GenerateDataKey on the destination key, both in
/// the key policy for a caller of another account; a denial surfaces as S3's 403 AccessDenied).
///
/// Only keys the simulated KMS holds are checked: a key ARN no test created is not modelled and
/// passes, as before. Copies of parts (UploadPartCopy) are not checked.
extension S3Service {
    /// Throws AccessDenied unless the caller may perform `action` (`kms:Decrypt`,
    /// `kms:GenerateDataKey`) on the SSE-KMS key of `write`.
    static func requireKMS(_ call: S3Call, _ write: S3ObjectWrite, _ action: String) throws(SimError) {
        guard write.serverSideEncryption?.hasPrefix("aws:kms") == true, let reference = write.sseKMSKeyId else { return }
        let arn = reference.hasPrefix("arn:") ? reference : "arn:aws:kms:\(call.context.region):\(call.account):key/\(reference)"
        guard let key = call.kms.keys[arn] else { return }
        guard key.usable, call.kms.permits(key, account: call.account, principalArn: call.principal.arn, action: action) else {
            throw SimError(
                "AccessDenied",
                "User: \(call.principal.arn) is not authorized to perform: \(action) on resource: \(key.arn) because no resource-based policy allows the \(action) action",
                status: 403, resource: call.objectResource)
        }
    }
}
