import AWSSigV4
import Foundation
import Logging
import Metrics

/// Sends AWS API calls for one service, region and account: resolves the endpoint, signs with
/// SigV4, sends over the transport, retries by the standard mode, and turns every failure into an
/// `AWSError` that names the operation, account, resource, code and request ID.
public final class AWSClient: Sendable {
    public let service: AWSService
    public let region: String
    /// The account this client is meant for (ID or runbook label); carried into every error.
    public let account: String?
    public let credentials: any CredentialProvider
    public let transport: any HTTPTransport
    public let endpoints: EndpointResolver
    public let retry: RetryConfiguration
    public let timeouts: TransportTimeouts
    /// Retries, clock-skew corrections and request IDs, at debug level (label `cutover.aws`).
    public let logger: Logger
    private let quota: RetryQuota
    private let clock: ClockSkew
    private let sleep: @Sendable (Duration) async throws -> Void
    private let signer: SigV4Signer
    /// `cutover_aws_call_duration_seconds` by operation and outcome, made once each.
    private let timers: AWSCallTimers
    /// The endpoint, resolved once: it depends only on the service, region and configuration,
    /// all fixed for the client (parsing an endpoint URL per request showed in the copy's profile).
    private let endpoint: Result<ResolvedEndpoint, EndpointError>

    public init(
        service: AWSService, region: String, credentials: any CredentialProvider,
        transport: any HTTPTransport = CurlTransport.shared, endpoints: EndpointResolver = EndpointResolver(),
        retry: RetryConfiguration = .standard, account: String? = nil, timeouts: TransportTimeouts = .default,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "cutover.aws")
    ) {
        self.service = service
        self.region = region
        self.account = account
        self.credentials = credentials
        self.transport = transport
        self.endpoints = endpoints
        self.retry = retry
        self.timeouts = timeouts
        self.quota = RetryQuota(capacity: retry.quotaCapacity)
        self.clock = ClockSkew(now: now)
        self.sleep = sleep
        self.logger = logger
        do {
            self.endpoint = .success(try endpoints.resolve(service: service, region: region))
        } catch {
            self.endpoint = .failure((error as? EndpointError) ?? EndpointError(message: "\(error)"))
        }
        self.timers = AWSCallTimers(service: service.signingName)
        self.signer = SigV4Signer(
            service: service.signingName, region: service.signingRegion(for: region), options: service.usesS3SigningRules ? .s3 : .standard)
    }

    /// A client for another service with the same account, credentials, transport and settings.
    public func with(service: AWSService) -> AWSClient {
        AWSClient(
            service: service, region: region, credentials: credentials, transport: transport, endpoints: endpoints,
            retry: retry, account: account, timeouts: timeouts, now: clock.now, sleep: sleep, logger: logger)
    }

    /// The correction applied to the local clock after a `RequestTimeTooSkewed` (server − local).
    public var clockOffset: TimeInterval { clock.offset }

    /// Sends one call; returns the 2xx response or throws `AWSError`.
    public func send(_ request: AWSRequest) async throws -> AWSResponse {
        let started = ContinuousClock.now
        var succeeded = false
        defer { timers.timer(operation: request.operation, ok: succeeded).record(duration: ContinuousClock.now - started) }
        let endpoint: ResolvedEndpoint
        do {
            endpoint = try self.endpoint.get()
        } catch {
            throw failure(request, origin: .transport, code: "InvalidEndpoint", message: "\(error)", status: 0, attempts: 0)
        }
        var attempt = 0
        var retryCostTaken = 0
        var throttled = 0
        while true {
            attempt += 1
            let creds: AWSCredentials
            do {
                creds = try await credentials.credentials()
            } catch {
                throw failure(
                    request, origin: .credentials, code: "CredentialsUnavailable", message: "\(error)", status: 0, attempts: attempt)
            }
            let http = prepare(request, endpoint: endpoint, credentials: creds)
            let decision: RetryClassifier.Kind
            let lastError: AWSError
            do {
                let response = try await transport.send(http, timeout: timeouts)
                let (hidden, parsed) = hidesError(request, response)
                if (200..<300).contains(response.status) && !hidden {
                    quota.release(refund: retryCostTaken)
                    var answer = AWSResponse(
                        status: response.status, headers: response.headers, body: response.body,
                        requestId: AWSErrorDecoder.requestId(in: response.headers) ?? bodyRequestId(response),
                        extendedRequestId: response.headers["x-amz-id-2"], attempts: attempt, throttledAttempts: throttled)
                    answer.parsedBody = parsed
                    logger.debug(
                        "aws call succeeded",
                        metadata: context(
                            request,
                            [
                                "status": "\(answer.status)", "requestId": "\(answer.requestId ?? "-")", "attempts": "\(attempt)",
                            ]))
                    succeeded = true
                    return answer
                }
                let decoded = AWSErrorDecoder.decode(response, wireProtocol: service.wireProtocol)
                var status = response.status
                if (200..<300).contains(status) { status = 500 }  // S3's 200-with-<Error>: botocore treats it as a 500
                lastError = failure(
                    request, origin: .service, code: decoded.code, message: decoded.message, status: status,
                    requestId: decoded.requestId, extendedRequestId: decoded.extendedRequestId, attempts: attempt)
                var kind = RetryClassifier.classify(code: decoded.code, status: status)
                if kind == .clockSkew {
                    kind = clock.correct(serverDate: response.headers["Date"]) ? .clockSkew : .notRetryable
                    if kind == .clockSkew {
                        logger.debug(
                            "aws clock skew corrected",
                            metadata: context(
                                request,
                                [
                                    "offsetSeconds": "\(clock.offset)", "requestId": "\(decoded.requestId ?? "-")",
                                ]))
                    }
                }
                decision = kind
                if kind == .throttling || status == 503 {
                    throttled += 1
                    AWSThrottleSignal.throttled()
                }
            } catch let error as TransportError {
                lastError = failure(
                    request, origin: .transport, code: "Transport.\(error.kind.rawValue)", message: error.message, status: 0,
                    attempts: attempt)
                decision =
                    request.irreversible && RetryClassifier.mayHaveTakenEffect(error)
                    ? .notRetryable : RetryClassifier.classify(error)
            }
            guard decision != .notRetryable, attempt < retry.maxAttempts else { throw logged(lastError, request) }
            if decision == .clockSkew { continue }  // corrected; retry at once, no quota cost
            guard let cost = quota.acquire(timeout: decision == .timeout) else { throw logged(lastError, request) }
            retryCostTaken += cost
            let delay = backoff(attempt: attempt)
            logger.debug(
                "aws call retried",
                metadata: context(
                    request,
                    [
                        "attempt": "\(attempt)", "code": "\(lastError.code)", "requestId": "\(lastError.requestId ?? "-")",
                        "delay": "\(delay)",
                    ]))
            try await sleep(delay)
        }
    }

    /// The call's service, operation and account, plus `fields`, as log metadata.
    private func context(_ request: AWSRequest, _ fields: Logger.Metadata) -> Logger.Metadata {
        var metadata = fields
        metadata["service"] = "\(service.signingName)"
        metadata["operation"] = "\(request.operation)"
        if let account { metadata["account"] = "\(account)" }
        return metadata
    }

    /// Logs the error a call ends with (with its request ID) and returns it for `throw`.
    private func logged(_ error: AWSError, _ request: AWSRequest) -> AWSError {
        logger.debug(
            "aws call failed",
            metadata: context(
                request,
                [
                    "code": "\(error.code)", "status": "\(error.httpStatus)", "requestId": "\(error.requestId ?? "-")",
                    "attempts": "\(error.attempts)",
                ]))
        return error
    }

    /// Full-jitter exponential backoff: random(0…1) · min(base · 2^(attempt−1), cap).
    func backoff(attempt: Int) -> Duration {
        let base = Double(retry.baseDelay.components.seconds) + Double(retry.baseDelay.components.attoseconds) / 1e18
        let cap = Double(retry.maxBackoff.components.seconds) + Double(retry.maxBackoff.components.attoseconds) / 1e18
        let ceiling = min(base * pow(2, Double(attempt - 1)), cap)
        return .milliseconds(Int(Double.random(in: 0...1) * ceiling * 1000))
    }

    /// Builds the URL and signed headers for one attempt (re-signed every attempt: time moves on).
    func prepare(_ request: AWSRequest, endpoint: ResolvedEndpoint, credentials: AWSCredentials) -> HTTPRequest {
        var host = endpoint.host
        if let prefix = request.hostPrefix, !endpoint.isCustom { host = prefix + host }
        var path = endpoint.basePath
        if let bucket = request.bucket {
            if endpoints.useVirtualHost(bucket: bucket, on: endpoint) {
                host = "\(bucket).\(endpoint.host)"
            } else {
                path += "/" + SigV4URIEncoding.encode(bucket, encodeSlash: true)
            }
        }
        let pathStyleBucketRoot = request.bucket.map { !Self.host(host, startsWithLabel: $0) && request.path == "/" } ?? false
        if !pathStyleBucketRoot { path += request.path.isEmpty ? "/" : request.path }
        let scheme = endpoint.base.hasPrefix("https") ? "https" : "http"
        var url = "\(scheme)://\(host)\(path)"
        if !request.query.isEmpty {
            url +=
                "?"
                + request.query.map { name, value in
                    SigV4URIEncoding.encode(name, encodeSlash: true) + "=" + SigV4URIEncoding.encode(value, encodeSlash: true)
                }.joined(separator: "&")
        }
        var headers = request.headers
        // Room for Host and the signature's four headers: the copy is made here anyway.
        headers.reserveCapacity(headers.fields.count + 5)
        headers.set("Host", host)
        let payload: SigV4Payload = request.unsignedPayload ? .unsigned : .bytes(request.body)
        let signature = signer.sign(
            SigV4Request(method: request.method, path: path, query: request.query, headers: headers.fields, payload: payload),
            credentials: credentials, date: clock.current())
        for (name, value) in signature.headersToAdd { headers.set(name, value) }
        return HTTPRequest(
            method: request.method, url: url, headers: headers, body: request.body, freshConnection: request.irreversible,
            bulk: request.bulk)
    }

    /// Whether `host` begins with `label` and a dot (a virtual-hosted bucket), compared without
    /// building the prefix string.
    static func host(_ host: String, startsWithLabel label: String) -> Bool {
        var rest = host.utf8[...]
        guard rest.starts(with: label.utf8) else { return false }
        rest = rest.dropFirst(label.utf8.count)
        return rest.first == UInt8(ascii: ".")
    }

    /// S3 can answer 200 and still fail (CopyObject, UploadPartCopy, CompleteMultipartUpload).
    /// Returns whether it did, and the parsed document when it had to be parsed to tell (so the
    /// decoder does not parse the same body twice).
    private func hidesError(_ request: AWSRequest, _ response: HTTPResponse) -> (Bool, XMLNode?) {
        guard request.errorMayHideIn200, (200..<300).contains(response.status) else { return (false, nil) }
        guard let root = try? XMLNode.parse(response.body) else {
            // An empty or broken body where a result document must be is not a success either.
            return (true, nil)
        }
        return (root.localName == "Error", root)
    }

    private func bodyRequestId(_ response: HTTPResponse) -> String? {
        guard case .query = service.wireProtocol, let root = try? XMLNode.parse(response.body) else { return nil }
        return root.path("ResponseMetadata", "RequestId")?.trimmedText
    }

    /// Builds the error for a failed call with this client's context.
    public func failure(
        _ request: AWSRequest, origin: AWSError.Origin, code: String, message: String, status: Int,
        requestId: String? = nil, extendedRequestId: String? = nil, attempts: Int
    ) -> AWSError {
        AWSError(
            origin: origin, code: code, message: message, httpStatus: status, operation: request.operation,
            service: service.signingName, region: region, account: account, resource: request.resource,
            requestId: requestId, extendedRequestId: extendedRequestId, attempts: attempts)
    }

    /// The error for a 2xx response whose body could not be decoded: never a silent success.
    public func malformed(_ request: AWSRequest, _ response: AWSResponse, reason: String) -> AWSError {
        AWSError(
            origin: .malformedResponse, code: "MalformedResponse",
            message: "AWS answered HTTP \(response.status) but the body could not be read: \(reason)",
            httpStatus: response.status, operation: request.operation, service: service.signingName, region: region,
            account: account, resource: request.resource, requestId: response.requestId,
            extendedRequestId: response.extendedRequestId, attempts: response.attempts)
    }
}
