import AWSClient
import Foundation

/// What the switch-over tests against moto need around ELBv2 and ECS, made with test-only calls
/// through the same signed client (none of these operations is part of Cutover's API): an
/// Application Load Balancer with a listener (EC2 VPC and subnets, target group), and an ECS
/// cluster with task definition revisions and a service.
public enum MotoSwitchoverSetup {
    public struct LoadBalancer: Sendable {
        public var name: String
        public var arn: String
        public var listenerArn: String
        public var targetGroupArn: String
        public var port: Int
    }

    /// An internet-facing ALB named `name` in two fresh subnets, a target group, and an HTTP
    /// listener on `port` forwarding to it — all in `elbv2`'s account.
    public static func loadBalancer(_ elbv2: AWSClient, name: String, port: Int = 80) async throws -> LoadBalancer {
        let ec2 = elbv2.with(service: MotoRDSSetup.ec2)
        let octet = Int.random(in: 1...250)
        let vpc = try XMLNode.parse(try await ec2.query(action: "CreateVpc", parameters: [("CidrBlock", "10.\(octet).0.0/16")]).raw.body)
        let vpcId = try required(vpc.path("vpc", "vpcId")?.trimmedText, "CreateVpc vpcId")
        var subnets: [String] = []
        for (i, az) in ["us-east-1a", "us-east-1b"].enumerated() {
            let subnet = try XMLNode.parse(
                try await ec2.query(
                    action: "CreateSubnet",
                    parameters: [("VpcId", vpcId), ("CidrBlock", "10.\(octet).\(i + 1).0/24"), ("AvailabilityZone", az)]
                ).raw.body)
            subnets.append(try required(subnet.path("subnet", "subnetId")?.trimmedText, "CreateSubnet subnetId"))
        }
        var p = QueryParameters()
        p.add("Name", name)
        p.addList("Subnets", subnets)
        let balancer = try await elbv2.query(action: "CreateLoadBalancer", parameters: p.pairs)
        let arn = try required(balancer.result.path("LoadBalancers", "member", "LoadBalancerArn")?.trimmedText, "LoadBalancerArn")
        let group = try await elbv2.query(
            action: "CreateTargetGroup",
            parameters: [("Name", String("\(name)-tg".suffix(32))), ("Protocol", "HTTP"), ("Port", "80"), ("VpcId", vpcId)])
        let groupArn = try required(group.result.path("TargetGroups", "member", "TargetGroupArn")?.trimmedText, "TargetGroupArn")
        let listener = try await elbv2.query(
            action: "CreateListener",
            parameters: [
                ("LoadBalancerArn", arn), ("Protocol", "HTTP"), ("Port", String(port)),
                ("DefaultActions.member.1.Type", "forward"), ("DefaultActions.member.1.TargetGroupArn", groupArn),
            ])
        let listenerArn = try required(listener.result.path("Listeners", "member", "ListenerArn")?.trimmedText, "ListenerArn")
        return LoadBalancer(name: name, arn: arn, listenerArn: listenerArn, targetGroupArn: groupArn, port: port)
    }

    /// A forward rule of someone else's on the listener (e.g. at priority 1).
    @discardableResult
    public static func forwardRule(_ elbv2: AWSClient, _ balancer: LoadBalancer, priority: Int, path: String) async throws -> String {
        let rule = try await elbv2.query(
            action: "CreateRule",
            parameters: [
                ("ListenerArn", balancer.listenerArn), ("Priority", String(priority)),
                ("Conditions.member.1.Field", "path-pattern"), ("Conditions.member.1.PathPatternConfig.Values.member.1", path),
                ("Actions.member.1.Type", "forward"), ("Actions.member.1.TargetGroupArn", balancer.targetGroupArn),
            ])
        return try required(rule.result.path("Rules", "member", "RuleArn")?.trimmedText, "RuleArn")
    }

    public struct Service: Sendable {
        public var cluster: String
        public var name: String
        /// The task definition ARNs registered, oldest first; the service runs the first.
        public var revisions: [String]
        public var family: String
    }

    /// A cluster, `revisions` task definition revisions of one family, and a service on the
    /// first revision with `desiredCount` tasks — in `ecs`'s account. moto fixes a deployment's
    /// rollout state when the service is created: COMPLETED only when the running count it
    /// assumes (`MOTO_ECS_SERVICE_RUNNING`, 0 by default) covers the desired count.
    public static func service(_ ecs: AWSClient, prefix: String, revisions: Int = 2, desiredCount: Int = 0) async throws -> Service {
        struct Cluster: Encodable, Sendable { var clusterName: String }
        _ = try await ecs.json(operation: "CreateCluster", input: Cluster(clusterName: prefix))
        struct Container: Encodable, Sendable {
            var name: String
            var image: String
            var memory: Int
        }
        struct Register: Encodable, Sendable {
            var family: String
            var containerDefinitions: [Container]
        }
        struct Registered: Decodable, Sendable {
            struct Definition: Decodable, Sendable { var taskDefinitionArn: String }
            var taskDefinition: Definition
        }
        var arns: [String] = []
        for revision in 1...revisions {
            let registered = try await ecs.json(
                operation: "RegisterTaskDefinition",
                input: Register(
                    family: "\(prefix)-web", containerDefinitions: [Container(name: "web", image: "admin-console:\(revision)", memory: 256)]
                ),
                output: Registered.self)
            arns.append(registered.taskDefinition.taskDefinitionArn)
        }
        struct Create: Encodable, Sendable {
            var cluster: String
            var serviceName: String
            var taskDefinition: String
            var desiredCount: Int
        }
        _ = try await ecs.json(
            operation: "CreateService",
            input: Create(cluster: prefix, serviceName: "\(prefix)-web", taskDefinition: arns[0], desiredCount: desiredCount))
        return Service(cluster: prefix, name: "\(prefix)-web", revisions: arns, family: "\(prefix)-web")
    }

    private static func required(_ value: String?, _ what: String) throws -> String {
        guard let value, !value.isEmpty else { throw LoopbackError("moto's answer has no \(what)") }
        return value
    }
}
