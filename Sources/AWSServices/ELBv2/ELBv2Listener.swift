/// A load balancer's listener: where a maintenance page's rule goes.
public struct ELBv2Listener: Sendable, Hashable {
    public var arn: String
    public var loadBalancerArn: String?
    public var port: Int?
    public var protocolName: String?

    public init(arn: String, loadBalancerArn: String? = nil, port: Int? = nil, protocolName: String? = nil) {
        self.arn = arn
        self.loadBalancerArn = loadBalancerArn
        self.port = port
        self.protocolName = protocolName
    }
}

/// A load balancer, found by name to reach its listeners.
public struct ELBv2LoadBalancer: Sendable, Hashable {
    public var arn: String
    public var name: String
    public var dnsName: String?
    /// `application`, `network` or `gateway`; only application load balancers have rules.
    public var type: String?

    public init(arn: String, name: String, dnsName: String? = nil, type: String? = nil) {
        self.arn = arn
        self.name = name
        self.dnsName = dnsName
        self.type = type
    }
}

extension ELBv2Listener {
    init(_ x: QueryFields) throws {
        self.init(
            arn: try x.required("ListenerArn"), loadBalancerArn: x.string("LoadBalancerArn"), port: try x.int("Port"),
            protocolName: x.string("Protocol"))
    }
}

extension ELBv2LoadBalancer {
    init(_ x: QueryFields) throws {
        self.init(
            arn: try x.required("LoadBalancerArn"), name: try x.required("LoadBalancerName"), dnsName: x.string("DNSName"),
            type: x.string("Type"))
    }
}
