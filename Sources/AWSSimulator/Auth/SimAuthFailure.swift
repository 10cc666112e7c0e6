import Foundation

/// Why a request failed authentication, independent of the service. AWS names the same failure
/// differently per service (and per protocol family), so `error(for:)` turns it into the code and
/// status the service of the request's credential scope answers.
///
/// Sources: the S3 error-code list (S3 API Reference, "Error responses"), the common errors of the
/// Query and JSON APIs (STS/RDS/KMS API References, "Common Errors"), and moto 5.2.1 with auth
/// enforced (../shared/MOTO-NOTES.md §6), which reproduces the codes AWS answers.
enum SimAuthFailure: Error, Equatable {
    /// No SigV4 Authorization header or presigned query, or one that cannot be parsed.
    case malformed(String)
    /// A presigned URL whose `X-Amz-*` parameters are missing or out of range.
    case malformedQuery(String)
    /// S3 only: `x-amz-content-sha256` missing or neither a SHA-256 nor a known literal.
    case invalidContentSHA256(String)
    /// The access key ID is not one the simulator issued (or a session key sent without its token).
    case unknownAccessKey
    /// A session token that is not the one issued with the key (or a token with a long-term key).
    case invalidToken
    /// The session credentials have expired.
    case expiredToken
    /// `X-Amz-Date` more than 15 minutes from the simulator's clock.
    case skewed(requestTime: String, serverTime: String, earlier: Bool)
    /// A presigned URL used after `X-Amz-Date + X-Amz-Expires`.
    case presignExpired
    /// The signature the simulator computed differs from the one sent.
    case signatureMismatch
    /// S3 only: the body's SHA-256 is not the signed `x-amz-content-sha256`.
    case contentSHA256Mismatch
    /// S3 only: an `x-amz-*` header was sent but not signed.
    case headersNotSigned(String)

    private enum Family { case s3, query, json }

    private static func family(_ service: String) -> Family {
        switch service {
        case "s3": .s3
        case "kms": .json
        default: .query
        }
    }

    /// The error as the service `service` (the credential scope's signing name) answers it.
    /// Messages name no secret, token or signature.
    func error(for service: String) -> SimError {
        if service == "ec2", let error = ec2Error { return error }
        let family = Self.family(service)
        switch self {
        case .malformed(let detail):
            switch family {
            case .s3:
                return SimError(
                    "AuthorizationHeaderMalformed", "The authorization header is malformed; \(detail)", status: 400)
            case .query: return SimError("IncompleteSignature", detail, status: 400)
            case .json: return SimError("IncompleteSignatureException", detail, status: 400)
            }
        case .malformedQuery(let detail):
            switch family {
            case .s3: return SimError("AuthorizationQueryParametersError", detail, status: 400)
            case .query: return SimError("IncompleteSignature", detail, status: 400)
            case .json: return SimError("IncompleteSignatureException", detail, status: 400)
            }
        case .invalidContentSHA256(let detail):
            return family == .s3
                ? SimError("InvalidArgument", detail, status: 400)
                : SimError("IncompleteSignature", detail, status: 400)
        case .unknownAccessKey:
            switch family {
            case .s3:
                return SimError(
                    "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.",
                    status: 403)
            case .query:
                return SimError(
                    "InvalidClientTokenId", "The security token included in the request is invalid.", status: 403)
            case .json:
                return SimError(
                    "UnrecognizedClientException", "The security token included in the request is invalid.", status: 400
                )
            }
        case .invalidToken:
            switch family {
            case .s3:
                return SimError("InvalidToken", "The provided token is malformed or otherwise invalid.", status: 400)
            case .query:
                return SimError(
                    "InvalidClientTokenId", "The security token included in the request is invalid.", status: 403)
            case .json:
                return SimError(
                    "UnrecognizedClientException", "The security token included in the request is invalid.", status: 400
                )
            }
        case .expiredToken:
            switch family {
            case .s3: return SimError("ExpiredToken", "The provided token has expired.", status: 400)
            case .query:
                return SimError("ExpiredToken", "The security token included in the request is expired", status: 403)
            case .json:
                return SimError(
                    "ExpiredTokenException", "The security token included in the request is expired", status: 400)
            }
        case .skewed(let requestTime, let serverTime, let earlier):
            if family == .s3 {
                return SimError(
                    "RequestTimeTooSkewed",
                    "The difference between the request time (\(requestTime)) and the server's time (\(serverTime)) is too large.",
                    status: 403)
            }
            let message =
                earlier
                ? "Signature expired: \(requestTime) is now earlier than the server time \(serverTime) minus 15 min."
                : "Signature not yet current: \(requestTime) is still later than the server time \(serverTime) plus 15 min."
            return family == .json
                ? SimError("InvalidSignatureException", message, status: 400)
                : SimError("SignatureDoesNotMatch", message, status: 403)
        case .presignExpired:
            switch family {
            case .s3: return SimError("AccessDenied", "Request has expired", status: 403)
            case .query:
                return SimError(
                    "SignatureDoesNotMatch", "Signature expired: the presigned request has expired.", status: 403)
            case .json:
                return SimError(
                    "InvalidSignatureException", "Signature expired: the presigned request has expired.", status: 400)
            }
        case .signatureMismatch:
            switch family {
            case .s3:
                return SimError(
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                    status: 403)
            case .query, .json:
                let message =
                    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                    + "Access Key and signing method. Consult the service documentation for details."
                return family == .json
                    ? SimError("InvalidSignatureException", message, status: 400)
                    : SimError("SignatureDoesNotMatch", message, status: 403)
            }
        case .contentSHA256Mismatch:
            return SimError(
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.", status: 400)
        case .headersNotSigned(let names):
            return SimError(
                "AccessDenied", "There were headers present in the request which were not signed: \(names)", status: 403
            )
        }
    }

    /// EC2 names credential failures differently from the other Query services (EC2 API
    /// Reference, "Common client error codes"): an unknown key, a bad token or a wrong signature
    /// is `AuthFailure` (401, as moto 5.2.1 answers it), and a request outside the time window —
    /// expired temporary credentials included — is `RequestExpired`. Malformed signatures use the
    /// common `IncompleteSignature` (nil here: the Query answer).
    private var ec2Error: SimError? {
        switch self {
        case .unknownAccessKey, .invalidToken, .signatureMismatch:
            SimError("AuthFailure", "AWS was not able to validate the provided access credentials", status: 401)
        case .expiredToken, .skewed, .presignExpired:
            SimError("RequestExpired", "Request has expired.", status: 400)
        case .malformed, .malformedQuery, .invalidContentSHA256, .contentSHA256Mismatch, .headersNotSigned:
            nil
        }
    }
}
