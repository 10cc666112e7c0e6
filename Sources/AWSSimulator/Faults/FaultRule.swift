import Foundation

/// One way to make the simulator misbehave: which requests it applies to (service, operation,
/// resource prefix), what it does to them (an error, a broken connection, added latency) and when
/// (always, with a probability, or on a schedule of matching requests).
///
/// Rules are added at run time (`FaultInjector.addRule`, `POST /_sim/faults`). Counting is per
/// rule: "the 3rd through 5th" means the 3rd through 5th requests *this rule matched*.
public struct FaultRule: Sendable, Equatable {
    /// What a firing rule does to the request.
    public enum Effect: Sendable, Equatable {
        /// The service's internal-error answer, HTTP 500. The code is the one each service
        /// documents: S3 `InternalError`; RDS and STS `InternalFailure` (AWS common errors for
        /// Query APIs); KMS `KMSInternalException` (BC-KMS).
        case internalError
        /// The service's throttling answer: S3 503 `SlowDown`; RDS and STS 400 `Throttling`;
        /// KMS 400 `ThrottlingException`. All are retryable in botocore (AWS-NOTES §7.5).
        case throttling
        /// Any other error, answered in the service's wire format instead of performing the call.
        case error(SimError)
        /// Perform the call, send the status line, headers (with the full `Content-Length`) and
        /// this many body bytes, then close: the client sees a truncated body.
        case resetAfter(bodyBytes: Int)
        /// Perform the call, then close the connection without answering: the client cannot know
        /// whether the call took effect (exactly the ambiguity a cutover must survive).
        case dropConnection
        /// Answer normally, this much later (real time). Latency rules add up with each other and
        /// combine with whichever error or connection fault fires.
        case latency(Duration)
    }

    /// When a matching request is affected.
    public enum Trigger: Sendable, Equatable {
        /// Every matching request.
        case always
        /// Each matching request independently with this probability (0...1), drawn from the
        /// rule's own seeded generator, so the same seed gives the same sequence.
        case probability(Double)
        /// The Nth through Mth matching requests (1-based, inclusive).
        case requests(ClosedRange<Int>)
        /// Every k-th matching request (the k-th, 2k-th, …).
        case every(Int)
    }

    /// Assigned by `FaultInjector.addRule` when nil (`rule-1`, `rule-2`, …).
    public var id: String?
    /// SigV4 service name (`s3`, `rds`, `sts`, `kms`) or `*`.
    public var service: String
    /// API operation name (`PutObject`, `CopyDBSnapshot`) or `*`.
    public var operation: String
    /// When set, only requests on a resource starting with this prefix match. For S3 the
    /// resource is `bucket/key` (path-style or virtual-host addressing, percent-decoded); for RDS and STS any
    /// form parameter whose name ends in `Identifier`, `Arn` or `Name`; for KMS the `KeyId`,
    /// `AliasName`, `GrantId` or `DestinationKeyId` of the JSON body.
    public var resourcePrefix: String?
    public var effect: Effect
    public var trigger: Trigger
    /// Seed of this rule's probability draws; derived from the injector's seed and the rule's id
    /// when nil.
    public var seed: UInt64?

    public init(
        id: String? = nil, service: String = "*", operation: String = "*", resourcePrefix: String? = nil,
        effect: Effect, trigger: Trigger = .always, seed: UInt64? = nil
    ) {
        self.id = id
        self.service = service
        self.operation = operation
        self.resourcePrefix = resourcePrefix
        self.effect = effect
        self.trigger = trigger
        self.seed = seed
    }

    /// Whether the rule applies to this request at all (before its trigger is consulted).
    func matches(service: String, operation: String, resources: () -> [String]) -> Bool {
        guard self.service == "*" || self.service.caseInsensitiveCompare(service) == .orderedSame else { return false }
        guard self.operation == "*" || self.operation == operation else { return false }
        guard let prefix = resourcePrefix, !prefix.isEmpty else { return true }
        return resources().contains { $0.hasPrefix(prefix) }
    }

    /// The problems with this rule, empty when it is usable.
    public var problems: [String] {
        var found: [String] = []
        if service.isEmpty { found.append("service must be a SigV4 service name or \"*\"") }
        if operation.isEmpty { found.append("operation must be an operation name or \"*\"") }
        switch trigger {
        case .always: break
        case .probability(let p) where !(0...1).contains(p): found.append("probability must be between 0 and 1")
        case .requests(let range) where range.lowerBound < 1: found.append("from must be 1 or more (requests are counted from 1)")
        case .every(let k) where k < 1: found.append("every must be 1 or more")
        default: break
        }
        switch effect {
        case .resetAfter(let n) where n < 0: found.append("bodyBytes must not be negative")
        case .latency(let d) where d < .zero: found.append("latency must not be negative")
        case .error(let e) where !(400...599).contains(e.status): found.append("an injected error's status must be 4xx or 5xx")
        default: break
        }
        return found
    }
}
