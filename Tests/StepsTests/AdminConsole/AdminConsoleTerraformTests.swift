import AWSSimulator
import Audit
import Engine
import Foundation
import Journal
import TestSupport
import Testing

/// `audit show --terraform` over the whole admin-console cutover: the import blocks name exactly
/// what stands in product at the end — the restored instance and the re-created bucket with its
/// configuration — and nothing the run removed (its staging bucket).
@Suite struct AdminConsoleTerraformTests {
    @Test func importsNameWhatTheCutoverLeftInProduct() async throws {
        let plan = try AdminConsoleWorld.plan()
        let world = try AdminConsoleWorld()
        let run = try await world.start(plan)
        let end = await world.fixture.driver.drive(run, onIdle: AdminConsoleWorld.approver)
        try #require(end == .finished(.completed))
        let timeline = try AuditTimeline(records: try world.fixture.journal.records(stream: run.runId))
        let imports = TerraformImports(timeline: timeline)

        let byType = Dictionary(grouping: imports.resources, by: \.type)
        #expect(byType["aws_db_instance"]?.map(\.id) == ["admin-db"])
        #expect(byType["aws_s3_bucket"]?.map(\.id) == [AdminConsoleWorld.bucket])
        #expect(imports.resources.allSatisfy { $0.account == "product" && $0.accountId == AdminConsoleWorld.product })
        for resource in imports.resources {
            switch resource.type {
            case "aws_db_instance":
                #expect(world.simulator.dbInstanceStatus(resource.id, account: AdminConsoleWorld.product) == "available")
            default:
                #expect(world.simulator.bucket(resource.id)?.owner == AdminConsoleWorld.product, "\(resource.type) \(resource.id)")
            }
        }
        #expect(world.requests("CreateBucket").count == 2, "staging was created too, and is not imported")
        let text = imports.render(runId: run.runId, runbookName: plan.runbookName, status: timeline.status)
        #expect(text.contains("provider = aws.product"))
        #expect(!text.contains("staging"))
    }
}
