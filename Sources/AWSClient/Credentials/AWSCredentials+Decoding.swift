import AWSSigV4
import Foundation

extension AWSCredentials {
    /// Decodes the JSON document the container endpoint and IMDS serve:
    /// `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` and, from newer endpoints, `AccountId`.
    /// IMDS adds `"Code": "Success"`; any other code is an error.
    static func decodeMetadataJSON(_ body: Data, source: String, endpoint: String) throws -> AWSCredentials {
        func malformed(_ why: String) -> CredentialsError {
            CredentialsError(code: .malformedResponse, source: source, message: "\(endpoint) answered 200 but \(why)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: body), let json = object as? [String: Any] else {
            throw malformed("the body is not a JSON object")
        }
        if let code = json["Code"] as? String, code != "Success" {
            let detail = (json["Message"] as? String).map { ": \($0)" } ?? ""
            throw malformed("reports Code '\(code)'\(detail)")
        }
        func field(_ name: String) throws -> String {
            guard let value = json[name] as? String, !value.isEmpty else { throw malformed("the JSON has no \(name)") }
            return value
        }
        let expirationText = try field("Expiration")
        guard let expiration = CredentialTimestamp.parse(expirationText) else {
            throw malformed("Expiration '\(expirationText)' is not an ISO 8601 timestamp")
        }
        return AWSCredentials(
            accessKeyId: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
            sessionToken: try field("Token"), expiration: expiration,
            accountId: (json["AccountId"] as? String).flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Decodes an STS `<AssumeRoleResult>` or `<AssumeRoleWithWebIdentityResult>` element:
    /// `Credentials/{AccessKeyId,SecretAccessKey,SessionToken,Expiration}` and the account from
    /// `AssumedRoleUser/Arn` (`arn:aws:sts::123456789012:assumed-role/Name/session`).
    static func decodeSTSResult(_ result: XMLNode, source: String) throws -> AWSCredentials {
        func malformed(_ why: String) -> CredentialsError {
            CredentialsError(code: .malformedResponse, source: source, message: "STS answered 200 but \(why)")
        }
        guard let credentials = result.child("Credentials") else {
            throw malformed("<\(result.localName)> has no <Credentials>")
        }
        func field(_ name: String) throws -> String {
            guard let value = credentials.string(name), !value.isEmpty else {
                throw malformed("<Credentials> has no <\(name)>")
            }
            return value
        }
        let expirationText = try field("Expiration")
        guard let expiration = CredentialTimestamp.parse(expirationText) else {
            throw malformed("Expiration '\(expirationText)' is not an ISO 8601 timestamp")
        }
        return AWSCredentials(
            accessKeyId: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
            sessionToken: try field("SessionToken"), expiration: expiration,
            accountId: result.path("AssumedRoleUser", "Arn").flatMap { accountId(fromARN: $0.trimmedText) })
    }

    /// The account field of an ARN (`arn:partition:service:region:ACCOUNT:resource`), when it is one.
    static func accountId(fromARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[4].count == 12, parts[4].allSatisfy(\.isNumber) else {
            return nil
        }
        return String(parts[4])
    }
}
