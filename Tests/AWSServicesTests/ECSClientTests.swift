import AWSServices
import Foundation
import TestSupport
import Testing

/// The ECS client's wire shapes: UpdateService sends only the fields given (as botocore 1.43
/// serialises the same call), DescribeServices decodes deployments, events and failures, and a
/// malformed answer is an error naming the operation, never a crash or a silent default.
@Suite struct ECSClientTests {
    static func stub(_ body: String, status: Int = 200) throws -> StubbedAWS {
        try StubbedAWS(.ecs) { _ in
            .text(status, body, headers: [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "ecs-req-1")])
        }
    }

    static let service = """
        {"serviceArn":"arn:aws:ecs:us-east-1:111111111111:service/admin/web","serviceName":"web","status":"ACTIVE",\
        "desiredCount":2,"runningCount":1,"pendingCount":1,"taskDefinition":"arn:td/web:2","createdAt":1.7e9,\
        "deployments":[{"id":"ecs-svc/2","status":"PRIMARY","taskDefinition":"arn:td/web:2","desiredCount":2,"runningCount":1,\
        "pendingCount":1,"failedTasks":0,"rolloutState":"IN_PROGRESS","rolloutStateReason":"ECS deployment ecs-svc/2 in progress.","createdAt":1.7e9},\
        {"id":"ecs-svc/1","status":"ACTIVE","taskDefinition":"arn:td/web:1","desiredCount":0,"runningCount":1}],\
        "events":[{"id":"e2","createdAt":1.7e9,"message":"(service web) has started 1 tasks."}]}
        """

    @Test func updateServiceSendsOnlyTheFieldsGiven() async throws {
        let aws = try Self.stub("{\"service\":\(Self.service)}")
        let (service, requestId) = try await ECSClient(client: aws.client).updateService(
            UpdateServiceRequest(
                cluster: "admin", service: "web", taskDefinition: "arn:td/web:2", desiredCount: 2, forceNewDeployment: true))
        let request = try #require(aws.requests.last)
        #expect(request.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.UpdateService")
        #expect(request.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(request.header("Authorization")?.contains("/us-east-1/ecs/aws4_request") == true)
        let sent = try aws.json()
        #expect(sent.count == 5)
        #expect(sent["cluster"] as? String == "admin" && sent["service"] as? String == "web")
        #expect(
            sent["taskDefinition"] as? String == "arn:td/web:2" && sent["desiredCount"] as? Int == 2
                && sent["forceNewDeployment"] as? Bool == true)
        #expect(requestId == "ecs-req-1")
        #expect(service.primaryDeployment?.id == "ecs-svc/2" && service.primaryDeployment?.rolloutState == "IN_PROGRESS")
        #expect(service.deployments.count == 2 && service.events.first?.message == "(service web) has started 1 tasks.")

        _ = try await ECSClient(client: aws.client).updateService(UpdateServiceRequest(cluster: nil, service: "web", desiredCount: 0))
        #expect(try aws.json().keys.sorted() == ["desiredCount", "service"], "absent fields are not sent (ECS keeps them)")
    }

    @Test func describeServicesListsMissingServicesAsFailures() async throws {
        let aws = try Self.stub(
            #"{"services":[],"failures":[{"arn":"arn:aws:ecs:us-east-1:111111111111:service/admin/nope","reason":"MISSING"}]}"#)
        let (services, failures) = try await ECSClient(client: aws.client).describeServices(cluster: "admin", services: ["nope"])
        #expect(services.isEmpty && failures.map(\.reason) == ["MISSING"])
        #expect(try aws.json()["services"] as? [String] == ["nope"])
    }

    @Test(arguments: [
        ("a service without desiredCount", #"{"services":[{"serviceName":"web","runningCount":1}]}"#),
        ("a deployment without an id", #"{"services":[{"desiredCount":1,"runningCount":1,"deployments":[{"status":"PRIMARY"}]}]}"#),
        ("a count that is text", #"{"services":[{"desiredCount":"two","runningCount":1}]}"#),
        ("not JSON", "<html>"),
    ])
    func malformedAnswersNameTheOperation(_ case: (String, String)) async throws {
        let aws = try Self.stub(`case`.1)
        let error = await #expect(throws: AWSError.self, "\(`case`.0)") {
            try await ECSClient(client: aws.client).describeServices(cluster: "admin", services: ["web"])
        }
        #expect(error?.origin == .malformedResponse)
        #expect(error?.operation == "DescribeServices")
    }

    @Test func ecsErrorsKeepTheirCodeAndRequestId() async throws {
        let aws = try Self.stub(#"{"__type":"ServiceNotFoundException","message":"Service not found."}"#, status: 400)
        let error = await #expect(throws: AWSError.self) {
            try await ECSClient(client: aws.client).updateService(UpdateServiceRequest(cluster: "admin", service: "nope", desiredCount: 1))
        }
        #expect(error?.code == "ServiceNotFoundException" && error?.requestId == "ecs-req-1" && error?.operation == "UpdateService")
    }
}
