import Foundation
import Runbook
import Testing

@testable import Steps

/// `aws.call`/`aws.wait` typed inputs (issue 16 item 4): `parameters` (and the undo's) keep the
/// order the runbook wrote them in, in the plan and in what the executor decodes, because AWS
/// receives them in that order; Foundation's coders alone would sort them.
@Suite struct AWSCallTypedInputsTests {
    static func keys(_ value: JSONValue?) -> [String] {
        guard case .object(let members)? = value else { return [] }
        return members.map(\.0)
    }

    @Test func parametersKeepTheRunbooksOrderThroughPlanAndDecode() throws {
        let plan = try AWSCallPlanTests.plan(
            """
              - id: group
                uses: aws.call
                with:
                  account: product
                  service: ec2
                  operation: CreateSecurityGroup
                  parameters: { VpcId: vpc-1, GroupName: admin, Description: "admin console", TagSpecifications: [{ ResourceType: security-group, Tags: [{ Value: x, Key: k }] }] }
                  outputs: { id: GroupId }
                  undo: { operation: DeleteSecurityGroup, parameters: { GroupId: "${steps.group.outputs.id}", DryRun: "false" }, ignoreErrors: [InvalidGroup.NotFound] }
              - id: wait
                uses: aws.wait
                with: { account: product, service: ec2, operation: DescribeSecurityGroups, parameters: { MaxResults: "5", GroupIds: ["${steps.group.outputs.id}"] }, path: "SecurityGroups[0].GroupName", equals: admin }
            """)
        let call = try #require(plan.step("group"))
        let written = ["VpcId", "GroupName", "Description", "TagSpecifications"]
        #expect(Self.keys(call.inputs["parameters"]) == written)
        #expect(Self.keys(call.inputs["undo"]?["parameters"]) == ["GroupId", "DryRun"])
        let tag = call.inputs["parameters"]?["TagSpecifications"]?.arrayValue?.first?["Tags"]?.arrayValue?.first
        #expect(Self.keys(tag) == ["Value", "Key"])

        let decoded = try StepValues.decode(AWSCallInputs.self, from: call.inputs)
        #expect(Self.keys(decoded.parameters.value) == written)
        #expect(Self.keys(decoded.undo?.parameters.value) == ["GroupId", "DryRun"])
        #expect(decoded.undo?.ignoreErrors == ["InvalidGroup.NotFound"])
        #expect(decoded.outputs == ["id": "GroupId"])
        #expect(decoded.idempotent == false)
        // What goes on the wire: AWSParameterValue in the same order.
        guard case .map(let entries) = AWSOperationSpec.parameters(decoded.parameters.value) else {
            Issue.record("parameters are not a map")
            return
        }
        #expect(entries.map(\.key) == written)

        let wait = try StepValues.decode(AWSWaitInputs.self, from: try #require(plan.step("wait")).inputs)
        #expect(Self.keys(wait.parameters.value) == ["MaxResults", "GroupIds"])
        #expect(wait.expected == ["admin"])
        #expect(wait.path == "SecurityGroups[0].GroupName")
    }

    /// A plan journaled before the typed inputs (members in the old hand-written order) decodes.
    @Test func aPlanWrittenByTheEarlierCodeDecodes() throws {
        let old: JSONValue = .object([
            ("account", .string("product")), ("service", .string("ec2")), ("operation", .string("CreateTags")),
            ("parameters", .object([("Resources", .array([.string("vpc-1")])), ("Tags", .array([]))])),
            ("outputs", .object([])),
            (
                "undo",
                .object([
                    ("service", .string("ec2")), ("operation", .string("DeleteTags")),
                    ("parameters", .object([("Resources", .array([.string("vpc-1")]))])), ("ignoreErrors", .array([])),
                ])
            ),
            ("idempotent", .bool(false)),
        ])
        let decoded = try StepValues.decode(AWSCallInputs.self, from: old)
        #expect(Self.keys(decoded.parameters.value) == ["Resources", "Tags"])
        #expect(decoded.undo?.operation == "DeleteTags")
        #expect(decoded.resource == nil)
        #expect(try StepValues.encode(decoded) == old)
    }
}
