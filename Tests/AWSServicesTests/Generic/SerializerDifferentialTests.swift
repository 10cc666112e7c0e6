import AWSClient
import AWSServices
import Foundation
import TestSupport
import Testing

/// Our Query, EC2 and JSON serialisers against botocore's (scripts/botocore-serialize.py, the
/// serializer the AWS CLI uses): the same parameters must give the same wire form — names,
/// list and map flattening, EC2's queryName and capitalisation, typed scalars, empty lists.
/// Fails (does not skip) when python3 or botocore is missing.
@Suite struct SerializerDifferentialTests {
    /// Parameters as typed JSON (for botocore); ours get them as the untyped text a YAML runbook
    /// holds, typed by the catalog's model.
    static let cases: [(service: String, operation: String, params: String)] = [
        (
            "ec2", "DescribeVpcs",
            #"{"Filters":[{"Name":"tag:Name","Values":["a b","c/d"]},{"Name":"state","Values":["available"]}],"VpcIds":["vpc-1","vpc-2"],"MaxResults":5,"DryRun":false}"#
        ),
        ("ec2", "CreateTags", #"{"Resources":["vpc-1"],"Tags":[{"Key":"cutover","Value":"done"},{"Key":"owner","Value":"ops & co"}]}"#),
        ("ec2", "DeleteTags", #"{"Resources":["vpc-1"],"Tags":[{"Key":"cutover"}]}"#),
        (
            "ec2", "AuthorizeSecurityGroupIngress",
            #"{"GroupId":"sg-1","IpPermissions":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"10.0.0.0/8","Description":"vpc"}],"UserIdGroupPairs":[{"GroupId":"sg-2","UserId":"111111111111"}]}]}"#
        ),
        (
            "ec2", "RunInstances",
            #"{"ImageId":"ami-1","MinCount":1,"MaxCount":2,"BlockDeviceMappings":[{"DeviceName":"/dev/xvda","Ebs":{"VolumeSize":20,"DeleteOnTermination":true}}],"TagSpecifications":[{"ResourceType":"instance","Tags":[{"Key":"a","Value":"b"}]}],"SecurityGroupIds":[]}"#
        ),
        ("ec2", "ModifyInstanceAttribute", #"{"InstanceId":"i-1","DisableApiTermination":{"Value":true}}"#),
        ("elbv2", "DescribeLoadBalancers", #"{"Names":["admin-console","other"],"PageSize":10}"#),
        ("elbv2", "DescribeLoadBalancers", #"{"Names":[]}"#),
        (
            "elbv2", "CreateRule",
            #"{"ListenerArn":"arn:l","Priority":1,"Conditions":[{"Field":"path-pattern","PathPatternConfig":{"Values":["/*"]}}],"Actions":[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"503","ContentType":"text/html","MessageBody":"<h1>Maintenance</h1>"}}]}"#
        ),
        ("elbv2", "AddTags", #"{"ResourceArns":["arn:a"],"Tags":[{"Key":"k","Value":"v"}]}"#),
        (
            "sns", "Publish",
            #"{"TopicArn":"arn:t","Message":"cut over, 100%","MessageAttributes":{"k1":{"DataType":"String","StringValue":"v1"},"k2":{"DataType":"Number","StringValue":"2"}}}"#
        ),
        ("sns", "CreateTopic", #"{"Name":"t","Attributes":{"DisplayName":"x"},"Tags":[{"Key":"a","Value":"b"}]}"#),
        (
            "cloudwatch", "DescribeAlarms",
            #"{"AlarmNames":["admin-5xx","admin latency"],"AlarmTypes":["MetricAlarm","CompositeAlarm"],"MaxRecords":100}"#
        ),
        (
            "cloudwatch", "PutMetricAlarm",
            #"{"AlarmName":"a","MetricName":"m","Namespace":"n","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1.5,"ComparisonOperator":"GreaterThanThreshold","Dimensions":[{"Name":"LoadBalancer","Value":"app/x"}],"ActionsEnabled":false}"#
        ),
        (
            "cloudwatch", "GetMetricStatistics",
            #"{"Namespace":"n","MetricName":"m","StartTime":"2026-12-01T01:00:00Z","EndTime":"2026-12-01T02:00:00Z","Period":300,"Statistics":["Sum"]}"#
        ),
        (
            "autoscaling", "UpdateAutoScalingGroup",
            #"{"AutoScalingGroupName":"g","MinSize":0,"MaxSize":4,"DesiredCapacity":2,"VPCZoneIdentifier":"subnet-1,subnet-2"}"#
        ),
        (
            "rds", "ModifyDBInstance",
            #"{"DBInstanceIdentifier":"db","VpcSecurityGroupIds":["sg-1","sg-2"],"ApplyImmediately":true,"BackupRetentionPeriod":7}"#
        ),
        ("iam", "PutRolePolicy", #"{"RoleName":"r","PolicyName":"p","PolicyDocument":"{\"Version\":\"2012-10-17\"}"}"#),
        ("sts", "AssumeRole", #"{"RoleArn":"arn:r","RoleSessionName":"s","Tags":[{"Key":"k","Value":"v"}],"TransitiveTagKeys":["k"]}"#),
        ("elasticache", "ModifyReplicationGroup", #"{"ReplicationGroupId":"g","SecurityGroupIds":["sg-1"],"ApplyImmediately":true}"#),
        (
            "dynamodb", "PutItem",
            #"{"TableName":"t","Item":{"id":{"S":"1"},"n":{"N":"5"},"tags":{"SS":["a","b"]},"m":{"M":{"x":{"BOOL":true}}}}}"#
        ),
        (
            "dynamodb", "CreateTable",
            #"{"TableName":"t","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}"#
        ),
        ("ecs", "UpdateService", #"{"cluster":"c","service":"s","desiredCount":2,"forceNewDeployment":true,"taskDefinition":"td:3"}"#),
        ("logs", "PutRetentionPolicy", #"{"logGroupName":"/admin","retentionInDays":30}"#),
        ("ssm", "PutParameter", #"{"Name":"/admin/db","Value":"host","Type":"String","Overwrite":true}"#),
        ("sqs", "SetQueueAttributes", #"{"QueueUrl":"http://q","Attributes":{"VisibilityTimeout":"30"}}"#),
        ("events", "PutRule", #"{"Name":"r","ScheduleExpression":"rate(5 minutes)","State":"DISABLED"}"#),
        ("kms", "TagResource", #"{"KeyId":"k","Tags":[{"TagKey":"a","TagValue":"b"}]}"#),
    ]

    @Test func serialisesLikeBotocore() async throws {
        let catalog = AWSModelCatalog.shared
        var specs: [[String: Any]] = []
        for c in Self.cases {
            let model = try #require(catalog.service(c.service))
            let params = try JSONSerialization.jsonObject(with: Data(c.params.utf8))
            specs.append(["service": c.service, "protocol": model.protocolKind.rawValue, "operation": c.operation, "params": params])
        }
        let reference = try await Self.botocore(specs)
        #expect(reference.count == Self.cases.count)
        for (c, expected) in zip(Self.cases, reference) {
            let model = try #require(catalog.service(c.service))
            let parameters = try #require(Self.untyped(expected["untyped"]), "\(c.service) \(c.operation): no params tree")
            switch model.protocolKind {
            case .query, .ec2:
                let ours = try AWSQuerySerializer(model: model).pairs(operation: c.operation, parameters: parameters)
                let theirs = try #require(expected["pairs"] as? [[String]])
                #expect(ours.map { [$0.0, $0.1] } == theirs, "\(c.service) \(c.operation)")
                #expect(QueryParameters.formEncode(ours) == expected["form"] as? String, "\(c.service) \(c.operation) form body")
            case .json:
                let ours = try AWSJSONSerializer(model: model).body(operation: c.operation, parameters: parameters)
                let theirs = try JSONSerialization.data(withJSONObject: try #require(expected["json"]))
                #expect(
                    AWSDocument.parseJSON(ours) == AWSDocument.parseJSON(theirs),
                    "\(c.service) \(c.operation): \(String(decoding: ours, as: UTF8.self))")
                let request = try AWSGenericClient(
                    client: AWSClient(
                        service: model.clientService, region: "us-east-1",
                        credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "a", secretAccessKey: "b"))),
                    model: model
                ).request(c.operation, parameters: parameters)
                #expect(request.headers["X-Amz-Target"] == expected["target"] as? String)
            }
        }
    }

    /// The script's ordered tree of the params with every scalar as text, as a YAML runbook holds it.
    static func untyped(_ tree: Any?) -> AWSParameterValue? {
        guard let node = tree as? [Any], node.count == 2, let tag = node[0] as? String else { return nil }
        switch tag {
        case "s": return (node[1] as? String).map(AWSParameterValue.scalar)
        case "l":
            guard let items = node[1] as? [Any] else { return nil }
            let values = items.compactMap(untyped)
            return values.count == items.count ? .list(values) : nil
        case "m":
            guard let entries = node[1] as? [[Any]] else { return nil }
            var out: [(key: String, value: AWSParameterValue)] = []
            for entry in entries {
                guard entry.count == 2, let key = entry[0] as? String, let value = untyped(entry[1]) else { return nil }
                out.append((key: key, value: value))
            }
            return .map(out)
        default: return nil
        }
    }

    static func botocore(_ specs: [[String: Any]]) async throws -> [[String: Any]] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("serialize-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: specs).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let output = try await runOffPool { try serializeWaiting(input) }
        return try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
    }

    private static func serializeWaiting(_ input: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            ProcessInfo.processInfo.environment["PYTHON"] ?? "python3",
            BuiltProducts.packageRoot.appendingPathComponent("scripts/botocore-serialize.py").path, input.path,
        ]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SerializerReferenceError(
                description: "scripts/botocore-serialize.py exited with \(process.terminationStatus): "
                    + "the differential test needs Python 3 with botocore; run scripts/bootstrap")
        }
        return output
    }
}

struct SerializerReferenceError: Error, CustomStringConvertible {
    var description: String
}
