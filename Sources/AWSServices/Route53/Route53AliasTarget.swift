/// An alias record's target: the hosted zone ID of the AWS resource (e.g. the load balancer's
/// `CanonicalHostedZoneId`) and its DNS name.
public struct Route53AliasTarget: Sendable, Hashable, Codable {
    public var hostedZoneId: String
    public var dnsName: String
    public var evaluateTargetHealth: Bool

    public init(hostedZoneId: String, dnsName: String, evaluateTargetHealth: Bool = false) {
        self.hostedZoneId = hostedZoneId
        self.dnsName = dnsName
        self.evaluateTargetHealth = evaluateTargetHealth
    }

    var canonical: Route53AliasTarget {
        Route53AliasTarget(
            hostedZoneId: hostedZoneId, dnsName: Route53RecordSet.canonicalName(dnsName), evaluateTargetHealth: evaluateTargetHealth)
    }
}
