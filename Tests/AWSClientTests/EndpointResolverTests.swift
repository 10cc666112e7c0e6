import AWSClient
import Foundation
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
        #expect(
            try EndpointResolver(environment: env, profile: profile).resolve(service: .s3, region: "eu-west-1").base == "http://env-s3:4")
        #expect(
            try EndpointResolver(environment: env, profile: profile).resolve(service: .rds, region: "eu-west-1").base
                == "http://env-global:3")
        env = [:]
        #expect(
            try EndpointResolver(environment: env, profile: profile).resolve(service: .s3, region: "eu-west-1").base
                == "http://profile-s3:2")
        #expect(
            try EndpointResolver(environment: env, profile: profile).resolve(service: .kms, region: "eu-west-1").base
                == "http://profile-global:1")
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
        let https = try EndpointResolver(overrideURL: "https://vpce-123.s3.eu-west-1.vpce.amazonaws.com:443").resolve(
            service: .s3, region: "eu-west-1")
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
        #expect(throws: EndpointError.self) {
            try EndpointResolver(overrideURL: "localhost:4566").resolve(service: .s3, region: "eu-west-1")
        }
        #expect(throws: EndpointError.self) { try EndpointResolver(overrideURL: "ftp://x").resolve(service: .s3, region: "eu-west-1") }
    }
}

@Suite("endpoints from the shared config file")
struct EndpointResolverProfileTests {
    @Test func selectedProfileServicesSectionIsApplied() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-endpoints-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("config")
        try """
        [profile cutover]
        region = ap-northeast-1
        services = local-stand-in
        endpoint_url = http://127.0.0.1:9000

        [services local-stand-in]
        s3 =
          endpoint_url = http://127.0.0.1:9001
        """.write(to: config, atomically: true, encoding: .utf8)
        let env = [
            "AWS_CONFIG_FILE": config.path, "AWS_SHARED_CREDENTIALS_FILE": dir.appendingPathComponent("none").path,
            "AWS_PROFILE": "cutover",
        ]
        let resolver = try EndpointResolver.standard(environment: env)
        #expect(try resolver.resolve(service: .s3, region: "ap-northeast-1").base == "http://127.0.0.1:9001")
        #expect(try resolver.resolve(service: .rds, region: "ap-northeast-1").base == "http://127.0.0.1:9000")
        var withEnv = env
        withEnv["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9002"
        #expect(
            try EndpointResolver.standard(environment: withEnv).resolve(service: .s3, region: "ap-northeast-1").base
                == "http://127.0.0.1:9002")
    }
}

@Suite("HTTP dates")
struct HTTPDateTests {
    @Test func parsesIMFFixdateLikeFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for seconds in stride(from: 0.0, to: 2_000_000_000, by: 86_399 * 97.0) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(HTTPDate.parse(formatter.string(from: date)) == date)
        }
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
    }

    @Test func rejectsWhatIsNotAnHTTPDate() {
        #expect(HTTPDate.parse("") == nil)
        #expect(HTTPDate.parse("Sun, 06 Foo 1994 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("Sun, 32 Nov 1994 08:49:37 GMT") == nil)
    }
}
