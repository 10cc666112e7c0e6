import Foundation
import TestSupport
import XCTest

/// Issue 20, the switch-over part, end to end with real processes: the whole cutover
/// (`Runbooks/admin-console-cutover.yaml`, with its parameters) rehearsed against "real accounts"
/// that hold the switch-over resources too — load balancers, the ECS service, the hosted zone, the
/// secret, the guard's alarm — in a `cutover-aws-sim` without any moto. Discovery twins them with
/// their names and IDs, and the unchanged runbook runs on the twin to its end; the report lists
/// every step, the switch-over ones included, and says what was not rehearsed (the health URL).
final class CLIRehearseCutoverTests: XCTestCase {
    static let runbook = "Runbooks/admin-console-cutover.yaml"
    static let zone = "Z0123456789ABCDEFGHIJ"

    static var switchover: [String: Any] {
        [
            "loadBalancers": [
                [
                    "account": "111111111111", "name": "legacy-admin-alb", "dnsName": "legacy-admin-alb-1.ap-northeast-1.elb.amazonaws.com",
                    "canonicalHostedZoneId": "Z14GRHDCWA56QT", "listeners": [["port": 443, "protocol": "HTTPS"]],
                ],
                [
                    "account": "222222222222", "name": "product-admin-alb",
                    "dnsName": "product-admin-alb-2.ap-northeast-1.elb.amazonaws.com",
                    "canonicalHostedZoneId": "Z14GRHDCWA56QT", "listeners": [["port": 443, "protocol": "HTTPS"]],
                ],
            ],
            "ecs": [
                "clusters": [
                    [
                        "account": "222222222222", "name": "admin-console",
                        "services": [["name": "admin-console-web", "taskDefinition": "admin-console-web:1", "desiredCount": 0]],
                    ]
                ],
                "taskDefinitions": [["account": "222222222222", "family": "admin-console-web", "revisions": [1, 2]]],
            ],
            "hostedZones": [
                [
                    "account": "222222222222", "id": zone, "name": "example.com",
                    "records": [
                        [
                            "name": "admin.example.com", "type": "A",
                            "alias": [
                                "hostedZoneId": "Z14GRHDCWA56QT", "dnsName": "legacy-admin-alb-1.ap-northeast-1.elb.amazonaws.com",
                                "evaluateTargetHealth": true,
                            ],
                        ]
                    ],
                ]
            ],
            "secrets": [
                [
                    "account": "222222222222", "name": "admin-console/db",
                    "string": #"{"host":"admin-db.legacy.internal","port":3306,"password":"real-password-never-copied"}"#,
                ]
            ],
            "alarms": [["account": "222222222222", "name": "admin-console-5xx", "state": "OK"]],
        ]
    }

    func testTheWholeCutoverIsRehearsedToItsEndWithoutMoto() throws {
        let rehearsal = try Rehearsal(heldStagingName: false, switchover: Self.switchover)
        defer { rehearsal.stop() }
        let params = ["--param", "hostedZoneId=\(Self.zone)"]
        let world = rehearsal.directory.appendingPathComponent("twin.json")
        let result = try rehearsal.run(extra: params + ["--world-out", world.path], runbook: Self.runbook)
        XCTAssertEqual(result.status, 0, "stderr:\n\(result.stderr)\nstdout:\n\(result.stdout.prefix(6000))")
        let report = try CLIRehearseTests.object(result.stdout)

        let planned = try rehearsal.plannedSteps(runbook: Self.runbook, extra: params)
        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.compactMap { $0["id"] as? String }, planned)
        for id in [
            "product-alb", "maintenance-on", "db-secret", "redeploy.update", "redeploy.wait", "switch-dns.upsert", "switch-dns.wait",
            "health", "maintenance-off",
        ] {
            XCTAssertTrue(planned.contains(id), "\(id) is not in the plan: \(planned)")
        }
        for step in steps { XCTAssertEqual(step["outcome"] as? String, "succeeded", "\(step)") }
        XCTAssertEqual((report["run"] as? [String: Any])?["succeeded"] as? Bool, true)
        XCTAssertEqual((report["discoveryProblems"] as? [Any])?.count, 0, "\(report["discoveryProblems"] ?? "")")
        let gaps = try XCTUnwrap(report["fidelityGaps"] as? [String])
        XCTAssertTrue(gaps.contains { $0.contains("http.check https://admin.example.com/health was not rehearsed") }, "\(gaps)")
        XCTAssertTrue(gaps.contains { $0.contains("placeholder values") }, "\(gaps)")

        // The twin kept the operator's IDs and never the secret's value.
        let twin = try String(contentsOf: world, encoding: .utf8)
        XCTAssertTrue(twin.contains(Self.zone) && twin.contains("product-admin-alb-2.ap-northeast-1.elb.amazonaws.com"))
        XCTAssertFalse(twin.contains("real-password-never-copied") || twin.contains("admin-db.legacy.internal"))
        try rehearsal.assertNothingLeft()
    }
}
