import AWSClient
import Testing

@Suite("endpoint resolution as the SDKs do it")
struct EndpointResolverTests {
    @Test func regionalDefaultsAndTheUsEast1S3GlobalEndpoint() throws {
        let r = EndpointResolver(environment: [:])
        #expect(try r.resolve(service: .rds, region: "ap-northeast-1").base == "https://rds.ap-northeast-1.amazonaws.com")
        #expect(try r.resolve(service: .s3, region: "eu-west-1").host == "s3.eu-west-1.amazonaws.com")
        #expect(try r.resolve(service: .s3, region: "us-east-1").host == "s3.amazonaws.com")
        #expect(try r.resolve(service: .sts, region: "us-east-1").host == "sts.us-east-1.amazonaws.com")
        #expect(try r.resolve(service: .kms, region: "cn-north-1").host == "kms.cn-north-1.amazonaws.com.cn")
    }

    @Test func invalidRegionIsAnErrorThatSaysWhereToSetIt() {
        let error = #expect(throws: EndpointError.self) { try EndpointResolver(environment: [:]).resolve(service: .s3, region: "Tokyo 1") }
        #expect(error?.message.contains("AWS_REGION") == true)
    }

    @Test func serviceSpecificEnvironmentBeatsGlobalBeatsProfile() throws {
        let profile = ProfileEndpointSettings(global: "http://profile-global:1", services: ["s3": "http://profile-s3:2"])
        var env = ["AWS_ENDPOINT_URL": "http://env-global:3", "AWS_ENDPOINT_URL_S3": "http://env-s3:4"]
        #expect(try EndpointResolver(environment: env, profile: profile).resolve(service: .s3, region: "eu-west-1").base == "http://env-s3:4")
        #expect(try EndpointResolver(environment: env, profile: profile).resolve(service: .rds, region: "eu-west-1").base == "http://env-global:3")
        env = [:]
        #expect(try EndpointResolver(environment: env, profile: profile).resolve(service: .s3, region: "eu-west-1").base == "http://profile-s3:2")
        #expect(try EndpointResolver(environment: env, profile: profile).resolve(service: .kms, region: "eu-west-1").base == "http://profile-global:1")
    }

    @Test func ignoreConfiguredEndpointsRestoresTheDefaults() throws {
        let r = EndpointResolver(
            environment: ["AWS_ENDPOINT_URL": "http://x:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"],
            profile: ProfileEndpointSettings(global: "http://y:2"))
        #expect(try r.resolve(service: .s3, region: "eu-west-1").base == "https://s3.eu-west-1.amazonaws.com")
    }

    @Test func customEndpointKeepsPortAndBasePathAndIsPathStyle() throws {
        let r = EndpointResolver(overrideURL: "http://127.0.0.1:4566/prefix/")
        let e = try r.resolve(service: .s3, region: "eu-west-1")
        #expect(e.base == "http://127.0.0.1:4566")
        #expect(e.host == "127.0.0.1:4566")
        #expect(e.basePath == "/prefix")
        #expect(!r.useVirtualHost(bucket: "admin-images", on: e))
        let https = try EndpointResolver(overrideURL: "https://vpce-123.s3.eu-west-1.vpce.amazonaws.com:443").resolve(service: .s3, region: "eu-west-1")
        #expect(https.host == "vpce-123.s3.eu-west-1.vpce.amazonaws.com")
    }

    @Test func virtualHostOnlyForDNSSafeBucketsOnAWSEndpoints() throws {
        let r = EndpointResolver(environment: [:])
        let e = try r.resolve(service: .s3, region: "eu-west-1")
        #expect(r.useVirtualHost(bucket: "admin-images", on: e))
        #expect(!r.useVirtualHost(bucket: "admin.images", on: e))  // dots break the TLS wildcard
        #expect(!r.useVirtualHost(bucket: "Admin_Images", on: e))
        #expect(!EndpointResolver(environment: [:], forcePathStyle: true).useVirtualHost(bucket: "admin-images", on: e))
    }

    @Test func endpointURLWithoutHostIsRejected() {
        #expect(throws: EndpointError.self) { try EndpointResolver(overrideURL: "localhost:4566").resolve(service: .s3, region: "eu-west-1") }
        #expect(throws: EndpointError.self) { try EndpointResolver(overrideURL: "ftp://x").resolve(service: .s3, region: "eu-west-1") }
    }
}
