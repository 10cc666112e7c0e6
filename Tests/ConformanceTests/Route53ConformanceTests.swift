import AWSServices
import Foundation
import TestSupport
import Testing

/// ListResourceRecordSets (one record set by name and type), ChangeResourceRecordSets (UPSERT of
/// values and of an alias, DELETE) and GetChange against moto with signature checking, through
/// our own client — in account A and, for the third-account zone, in account B by AssumeRole.
@Suite struct Route53ConformanceTests {
    @Test func recordChangesInAccountA() async throws {
        let moto = try MotoFixture.load()
        try await exerciseRecordChanges(moto.clientA(.route53))
    }

    @Test func recordChangesInAccountBViaAssumeRole() async throws {
        let moto = try MotoFixture.load()
        try await exerciseRecordChanges(try await moto.clientB(.route53))
    }

    func exerciseRecordChanges(_ client: AWSClient) async throws {
        let route53 = Route53Client(client: client)
        let domain = MotoSwitchoverSetup.uniqueDomain("cutover-conformance")
        let zone = try await MotoSwitchoverSetup.createHostedZone(client, domain: domain)
        let name = "admin.\(domain)"

        #expect(try await route53.recordSet(zone: zone, name: name, type: "A") == nil)
        let record = Route53RecordSet(name: name, type: "A", ttl: 60, values: ["192.0.2.10", "192.0.2.11"])
        let change = try await route53.changeRecordSet(zone: zone, action: .upsert, record, comment: "conformance")
        #expect(!change.id.isEmpty && !change.id.contains("/"))
        #expect(["PENDING", "INSYNC"].contains(change.status))
        #expect(change.requestId?.isEmpty == false)
        // GetChange is a GET: it passes moto's signature check only with x-amz-content-sha256 signed.
        let followed = try await route53.getChange("/change/\(change.id)")
        #expect(followed.id == change.id && followed.isInSync)

        let read = try #require(try await route53.recordSet(zone: "/hostedzone/\(zone)", name: name, type: "A"))
        #expect(read.matches(record))
        #expect(read.name == "\(name).")
        // Another type at the same name, and a name after every record, are not this record.
        #expect(try await route53.recordSet(zone: zone, name: name, type: "CNAME") == nil)
        #expect(try await route53.recordSet(zone: zone, name: "zzz.\(domain)", type: "A") == nil)

        let alias = Route53RecordSet(
            name: name, type: "A",
            alias: Route53AliasTarget(hostedZoneId: "Z35SXDOTRQ7X7K", dnsName: "product-alb-1.us-east-1.elb.amazonaws.com"))
        _ = try await route53.changeRecordSet(zone: zone, action: .upsert, alias)
        let aliased = try #require(try await route53.recordSet(zone: zone, name: name, type: "A"))
        #expect(aliased.matches(alias))
        #expect(aliased.alias?.hostedZoneId == "Z35SXDOTRQ7X7K")

        _ = try await route53.changeRecordSet(zone: zone, action: .delete, aliased)
        #expect(try await route53.recordSet(zone: zone, name: name, type: "A") == nil)

        let missing = await #expect(throws: AWSError.self) { try await route53.recordSet(zone: "ZNOSUCHZONE0000", name: name, type: "A") }
        #expect(missing.map { $0.code == .noSuchHostedZone } == true)
        #expect(missing?.operation == "ListResourceRecordSets" && missing?.httpStatus == 404)
    }
}
