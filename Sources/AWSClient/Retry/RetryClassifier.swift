/// Decides whether a failed attempt may be retried, with botocore's standard-mode lists
/// (`retries/standard.py`): transient errors, throttling errors, and connection failures.
/// S3's `OperationAborted` is deliberately *not* here: the SDKs do not retry it, and the bucket
/// re-create runs its own, longer loop for it.
public enum RetryClassifier {
    public enum Kind: Sendable, Equatable {
        case transient, throttling, timeout, clockSkew, notRetryable
    }

    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError",
    ]
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
    ]
    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]
    /// Codes that can mean "your clock is off"; retried only when the server's Date says so.
    public static let clockSkewCodes: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure", "RequestInTheFuture",
    ]

    /// Classifies an AWS error response.
    public static func classify(code: String, status: Int) -> Kind {
        if throttlingCodes.contains(code) { return .throttling }
        if transientCodes.contains(code) || transientStatuses.contains(status) { return .transient }
        if clockSkewCodes.contains(code) { return .clockSkew }
        return .notRetryable
    }

    /// Whether the request may have reached AWS and taken effect although no answer arrived:
    /// everything but a connection that was never made.
    public static func mayHaveTakenEffect(_ error: TransportError) -> Bool {
        switch error.kind {
        case .timedOut, .connectionReset, .partialResponse, .other: true
        case .couldNotConnect, .certificate, .badURL, .tooManyRedirects: false
        }
    }

    /// Classifies a transport failure: everything that left no complete response is transient.
    public static func classify(_ error: TransportError) -> Kind {
        switch error.kind {
        case .timedOut: .timeout
        case .couldNotConnect, .connectionReset, .partialResponse: .transient
        case .badURL, .tooManyRedirects, .certificate, .other: .notRetryable
        }
    }
}
