import AWSClient
import AWSSigV4
import Foundation
import TestSupport
import Testing

/// Route 53 is global: one endpoint, and requests signed for us-east-1 whatever region the client
/// (the runbook) is in — while a configured endpoint (moto, the simulator) still wins.
@Suite struct GlobalServiceTests {
    @Test func route53ResolvesToItsGlobalEndpointFromAnyRegion() throws {
        let resolver = EndpointResolver(environment: [:])
        for region in ["ap-northeast-1", "us-east-1", "eu-west-1"] {
            let endpoint = try resolver.resolve(service: .route53, region: region)
            #expect(endpoint.base == "https://route53.amazonaws.com" && !endpoint.isCustom, "\(region)")
        }
        #expect(try resolver.resolve(service: .ssm, region: "ap-northeast-1").host == "ssm.ap-northeast-1.amazonaws.com")
        #expect(
            try resolver.resolve(service: .secretsManager, region: "ap-northeast-1").host == "secretsmanager.ap-northeast-1.amazonaws.com")
    }

    @Test func aConfiguredEndpointWinsForTheGlobalServiceToo() throws {
        let perService = EndpointResolver(environment: ["AWS_ENDPOINT_URL_ROUTE_53": "http://127.0.0.1:5001"])
        #expect(try perService.resolve(service: .route53, region: "ap-northeast-1").base == "http://127.0.0.1:5001")
        let everything = EndpointResolver(overrideURL: "http://127.0.0.1:5000")
        #expect(try everything.resolve(service: .route53, region: "ap-northeast-1").base == "http://127.0.0.1:5000")
        let env = EndpointResolver(environment: [
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:5002", "AWS_ENDPOINT_URL_SSM": "http://127.0.0.1:5003",
        ])
        #expect(try env.resolve(service: .secretsManager, region: "us-east-1").base == "http://127.0.0.1:5002")
        #expect(try env.resolve(service: .ssm, region: "us-east-1").base == "http://127.0.0.1:5003")
    }

    @Test func route53IsSignedForUSEast1FromAnotherRegionAndOthersForTheirOwn() async throws {
        let server = try LoopbackHTTPServer { _ in .text(200, "<GetChangeResponse/>") }
        defer { server.stop() }
        for (service, scope) in [(AWSService.route53, "/us-east-1/route53/aws4_request"), (.ssm, "/ap-northeast-1/ssm/aws4_request")] {
            let client = AWSClient(
                service: service, region: "ap-northeast-1", credentials: StaticCredentialProvider(testCredentials),
                transport: CurlTransport(proxy: ProxySettings()), endpoints: EndpointResolver(overrideURL: server.baseURL), retry: .disabled
            )
            _ = try await client.send(AWSRequest(operation: "GetChange", path: "/2013-04-01/change/C1"))
            let auth = try #require(server.requests.last?.header("Authorization"))
            #expect(auth.contains(scope), "\(service.serviceId): \(auth)")
            #expect(client.region == "ap-northeast-1")
        }
    }
}
