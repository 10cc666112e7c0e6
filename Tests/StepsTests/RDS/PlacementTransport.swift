import AWSClient
import AWSSimulator
import Foundation
import TestSupport

/// Stand-in for three read-only calls the simulator does not model yet — RDS
/// `DescribeDBSubnetGroups` and `DescribeDBParameterGroups`, EC2 `DescribeSecurityGroups` — answered
/// from the simulator's own seeded RDS network (`seedRDSNetwork`) in AWS's wire format and error
/// codes. Every other request goes to the simulator unchanged. Remove once the simulator answers
/// these itself.
struct PlacementTransport: HTTPTransport {
    let inner: SimulatorTransport
    /// The account whose network answers (the client this transport belongs to acts in it).
    let account: String

    func send(_ request: HTTPRequest, timeout: TransportTimeouts) async throws -> HTTPResponse {
        let form = Self.form(request.body)
        let network = inner.simulator.withState { $0.rds.network(account: account) }
        switch form["Action"] {
        case "DescribeDBSubnetGroups":
            let name = (form["DBSubnetGroupName"] ?? "").lowercased()
            let vpc = network.subnetGroups[name] ?? (name == "default" ? "vpc-default" : nil)
            guard let vpc else {
                return Self.rdsError("DBSubnetGroupNotFoundFault", "DBSubnetGroup \(name) not found.", status: 404)
            }
            return Self.rds(
                "DescribeDBSubnetGroups",
                "<DBSubnetGroups><DBSubnetGroup><DBSubnetGroupName>\(name)</DBSubnetGroupName><VpcId>\(vpc)</VpcId>"
                    + "<SubnetGroupStatus>Complete</SubnetGroupStatus></DBSubnetGroup></DBSubnetGroups>")
        case "DescribeDBParameterGroups":
            let name = (form["DBParameterGroupName"] ?? "").lowercased()
            guard name.hasPrefix("default.") || network.parameterGroups.contains(name) else {
                return Self.rdsError("DBParameterGroupNotFound", "DBParameterGroup not found: \(name)", status: 404)
            }
            return Self.rds(
                "DescribeDBParameterGroups",
                "<DBParameterGroups><DBParameterGroup><DBParameterGroupName>\(name)</DBParameterGroupName>"
                    + "</DBParameterGroup></DBParameterGroups>")
        case "DescribeSecurityGroups":
            let ids = form.filter { $0.key.hasPrefix("GroupId.") }.map(\.value).sorted()
            var items = ""
            for id in ids {
                guard let vpc = network.securityGroups[id] else {
                    return Self.ec2Error("InvalidGroup.NotFound", "The security group '\(id)' does not exist")
                }
                items += "<item><groupId>\(id)</groupId><vpcId>\(vpc)</vpcId><ownerId>\(account)</ownerId></item>"
            }
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeSecurityGroupsResponse "
                + "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>placement-ec2</requestId>"
                + "<securityGroupInfo>\(items)</securityGroupInfo></DescribeSecurityGroupsResponse>"
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/xml"], body: Data(body.utf8))
        default:
            return try await inner.send(request, timeout: timeout)
        }
    }

    private static func form(_ body: Data) -> [String: String] {
        var out: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            if parts.count == 2 { out[parts[0]] = parts[1] }
        }
        return out
    }

    private static func rds(_ action: String, _ result: String) -> HTTPResponse {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(action)Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
            + "<\(action)Result>\(result)</\(action)Result><ResponseMetadata><RequestId>placement-rds</RequestId>"
            + "</ResponseMetadata></\(action)Response>"
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/xml"], body: Data(body.utf8))
    }

    private static func rdsError(_ code: String, _ message: String, status: Int) -> HTTPResponse {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
            + "<Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error>"
            + "<RequestId>placement-rds-error</RequestId></ErrorResponse>"
        return HTTPResponse(status: status, headers: ["Content-Type": "text/xml"], body: Data(body.utf8))
    }

    private static func ec2Error(_ code: String, _ message: String) -> HTTPResponse {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>\(code)</Code>"
            + "<Message>\(message)</Message></Error></Errors><RequestID>placement-ec2-error</RequestID></Response>"
        return HTTPResponse(status: 400, headers: ["Content-Type": "text/xml"], body: Data(body.utf8))
    }
}
