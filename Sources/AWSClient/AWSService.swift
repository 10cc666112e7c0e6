/// What the client needs to know about one AWS service to address, sign and decode it.
public struct AWSService: Sendable, Equatable {
    /// The wire protocol, which decides how errors are decoded.
    public enum WireProtocol: Sendable, Equatable {
        /// S3: REST with XML bodies, errors as `<Error><Code>…`.
        case restXML
        /// RDS, STS: form-encoded `Action=…&Version=…`, XML responses, errors as `<ErrorResponse>`.
        case query(apiVersion: String)
        /// KMS: JSON 1.1 with `X-Amz-Target: <targetPrefix>.<Operation>`.
        case json(targetPrefix: String, jsonVersion: String)
    }

    /// The SigV4 service name (`s3`, `rds`, `sts`, `kms`).
    public var signingName: String
    /// The host prefix in the default endpoint (`s3`, `rds`, `sts`, `kms`).
    public var endpointPrefix: String
    /// The SDK service ID, as used by `AWS_ENDPOINT_URL_<ID>` and the config file's `services` section.
    public var serviceId: String
    public var wireProtocol: WireProtocol
    /// S3's signing rules: no path normalisation, no double encoding, `x-amz-content-sha256` always.
    public var usesS3SigningRules: Bool
    /// A global service (Route 53) has one endpoint for every region and signs for one region,
    /// whatever region the client was made for; nil for regional services.
    public var global: GlobalEndpoint?

    /// The one endpoint of a global service and the region its requests are signed for
    /// (botocore's `globalEndpoint` and its partition's `credentialScope`).
    public struct GlobalEndpoint: Sendable, Equatable {
        public var host: String
        public var signingRegion: String
        public init(host: String, signingRegion: String) {
            self.host = host
            self.signingRegion = signingRegion
        }
    }

    public init(
        signingName: String, endpointPrefix: String, serviceId: String, wireProtocol: WireProtocol, usesS3SigningRules: Bool = false,
        global: GlobalEndpoint? = nil
    ) {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.serviceId = serviceId
        self.wireProtocol = wireProtocol
        self.usesS3SigningRules = usesS3SigningRules
        self.global = global
    }

    /// The region requests to this service are signed for: the global one, or the client's.
    public func signingRegion(for region: String) -> String { global?.signingRegion ?? region }

    public static let s3 = AWSService(
        signingName: "s3", endpointPrefix: "s3", serviceId: "S3", wireProtocol: .restXML, usesS3SigningRules: true)
    public static let rds = AWSService(
        signingName: "rds", endpointPrefix: "rds", serviceId: "RDS", wireProtocol: .query(apiVersion: "2014-10-31"))
    public static let sts = AWSService(
        signingName: "sts", endpointPrefix: "sts", serviceId: "STS", wireProtocol: .query(apiVersion: "2011-06-15"))
    public static let kms = AWSService(
        signingName: "kms", endpointPrefix: "kms", serviceId: "KMS", wireProtocol: .json(targetPrefix: "TrentService", jsonVersion: "1.1"))
    /// S3 Control (Batch Operations jobs): REST-XML signed as `s3`, on `<account>.s3-control.<region>…`
    /// (the account prefix comes from `AWSRequest.hostPrefix`), AWS-NOTES-2 BO-1.
    public static let s3Control = AWSService(
        signingName: "s3", endpointPrefix: "s3-control", serviceId: "S3 Control", wireProtocol: .restXML, usesS3SigningRules: true)
    /// Notifications only (`Publish`): cutoverd tells people a step waits for them.
    public static let sns = AWSService(
        signingName: "sns", endpointPrefix: "sns", serviceId: "SNS", wireProtocol: .query(apiVersion: "2010-03-31"))
    /// Application Load Balancers (the maintenance page). botocore's service ID is
    /// "Elastic Load Balancing v2", so its endpoint variable is `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`.
    public static let elbv2 = AWSService(
        signingName: "elasticloadbalancing", endpointPrefix: "elasticloadbalancing", serviceId: "Elastic Load Balancing v2",
        wireProtocol: .query(apiVersion: "2015-12-01"))
    /// ECS (redeploying a service): JSON 1.1.
    public static let ecs = AWSService(
        signingName: "ecs", endpointPrefix: "ecs", serviceId: "ECS",
        wireProtocol: .json(targetPrefix: "AmazonEC2ContainerServiceV20141113", jsonVersion: "1.1"))
    /// The switch-over's application settings: a secret's JSON keys (`secretsmanager.put-secret-value`).
    public static let secretsManager = AWSService(
        signingName: "secretsmanager", endpointPrefix: "secretsmanager", serviceId: "Secrets Manager",
        wireProtocol: .json(targetPrefix: "secretsmanager", jsonVersion: "1.1"))
    /// Parameter Store (`ssm.put-parameter`).
    public static let ssm = AWSService(
        signingName: "ssm", endpointPrefix: "ssm", serviceId: "SSM", wireProtocol: .json(targetPrefix: "AmazonSSM", jsonVersion: "1.1"))
    /// Route 53 (`route53.change-record`): global, REST-XML; one endpoint in the aws partition,
    /// signed for us-east-1 from any region.
    public static let route53 = AWSService(
        signingName: "route53", endpointPrefix: "route53", serviceId: "Route 53", wireProtocol: .restXML,
        global: GlobalEndpoint(host: "route53.amazonaws.com", signingRegion: "us-east-1"))
}
