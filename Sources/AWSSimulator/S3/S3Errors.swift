/// The S3 errors the simulator answers, with AWS's wire codes and messages (BC-S3 `Error` doc
/// table; messages as S3 sends them). `resource` is the bucket, or `bucket/key` for key errors.
enum S3Errors {
    static func noSuchBucket(_ bucket: String) -> SimError {
        SimError("NoSuchBucket", "The specified bucket does not exist", status: 404, resource: bucket)
    }

    static func noSuchKey(_ bucket: String, _ key: String) -> SimError {
        SimError("NoSuchKey", "The specified key does not exist.", status: 404, resource: "\(bucket)/\(key)")
    }

    static func noSuchVersion(_ bucket: String, _ key: String) -> SimError {
        SimError("NoSuchVersion", "The specified version does not exist.", status: 404, resource: "\(bucket)/\(key)")
    }

    static func noSuchUpload(_ bucket: String, _ key: String) -> SimError {
        SimError(
            "NoSuchUpload",
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
            status: 404, resource: "\(bucket)/\(key)")
    }

    static func accessDenied(_ resource: String? = nil) -> SimError {
        SimError("AccessDenied", "Access Denied", status: 403, resource: resource)
    }

    static func malformedXML(_ bucket: String?) -> SimError {
        SimError(
            "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema",
            status: 400, resource: bucket)
    }

    static func invalidArgument(_ message: String, _ resource: String? = nil) -> SimError {
        SimError("InvalidArgument", message, status: 400, resource: resource)
    }

    static func invalidRequest(_ message: String, _ resource: String? = nil) -> SimError {
        SimError("InvalidRequest", message, status: 400, resource: resource)
    }

    static func preconditionFailed(_ resource: String) -> SimError {
        SimError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", status: 412, resource: resource)
    }

    static func operationAborted(_ bucket: String) -> SimError {
        // Wire message as observed (AWS-NOTES §1.2; TF service_package.go matches on it).
        SimError(
            "OperationAborted", "A conflicting conditional operation is currently in progress against this resource. Please try again.",
            status: 409, resource: bucket)
    }

    static func copySourceTooLarge(_ resource: String) -> SimError {
        invalidRequest("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120", resource)
    }
}
