/// The errors fault injection answers with, as each service documents them.
enum InjectedError {
    /// HTTP 500 in the service's own vocabulary.
    static func internalError(service: String) -> SimError {
        switch service.lowercased() {
        case "s3":
            SimError("InternalError", "We encountered an internal error. Please try again.", status: 500)
        case "kms":
            // KMSInternalException is KMS's modelled 500 (BC-KMS).
            SimError(
                "KMSInternalException", "The request was rejected because an internal exception occurred. Please retry the request.",
                status: 500)
        case "ec2":
            // EC2's common server error (EC2 API Reference, "Error codes").
            SimError("InternalError", "An internal error has occurred.", status: 500)
        default:
            // Query APIs (RDS, STS): the common error InternalFailure.
            SimError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", status: 500)
        }
    }

    /// The service's request-rate answer; every one is retryable as throttling in botocore's
    /// legacy and standard modes (AWS-NOTES §7.5).
    static func throttling(service: String) -> SimError {
        switch service.lowercased() {
        case "s3": slowDown
        case "kms":
            SimError(
                "ThrottlingException", "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.",
                status: 400)
        case "ec2":
            // EC2 throttles with RequestLimitExceeded (503), which botocore retries as throttling.
            SimError("RequestLimitExceeded", "Request limit exceeded.", status: 503)
        default:
            SimError("Throttling", "Rate exceeded", status: 400)
        }
    }

    /// S3's answer above a prefix's request rate (S3UG optimizing-performance: about 3,500
    /// PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests per second per partitioned prefix).
    static let slowDown = SimError("SlowDown", "Please reduce your request rate.", status: 503)
}
