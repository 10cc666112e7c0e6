import AWSServices
import Foundation
import Testing

/// DB snapshots and DB cluster snapshots go through one implementation of each call; each family
/// must still send its own action and parameter names and decode its own answer.
@Suite struct RDSSnapshotFamilyTests {
    struct Family: Sendable, CustomTestStringConvertible {
        var noun: String
        var deletedXML: String
        var delete: @Sendable (RDSClient, String) async throws -> String
        var unshare: @Sendable (RDSClient, String, String) async throws -> Void
        var testDescription: String { noun }
    }

    static let families = [
        Family(
            noun: "DBSnapshot",
            deletedXML: RDSSnapshotTests.snapshotXML.replacingOccurrences(of: "<Status>copying", with: "<Status>deleted"),
            delete: { try await $0.deleteDBSnapshot(snapshotIdentifier: $1).value.status },
            unshare: { _ = try await $0.modifyDBSnapshotAttribute(snapshotIdentifier: $1, valuesToRemove: [$2]) }),
        Family(
            noun: "DBClusterSnapshot",
            deletedXML: RDSClusterTests.clusterSnapshotXML.replacingOccurrences(of: "<Status>creating", with: "<Status>deleted"),
            delete: { try await $0.deleteDBClusterSnapshot(snapshotIdentifier: $1).value.status },
            unshare: { _ = try await $0.modifyDBClusterSnapshotAttribute(snapshotIdentifier: $1, valuesToRemove: [$2]) }),
    ]

    @Test(arguments: families)
    func deleteSendsTheFamilysActionAndDecodesItsSnapshot(_ family: Family) async throws {
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("Delete\(family.noun)", family.deletedXML))
        let status = try await family.delete(RDSClient(client: aws.client), "admin-copy")
        #expect(aws.form()["Action"] == "Delete\(family.noun)")
        #expect(aws.form()["\(family.noun)Identifier"] == "admin-copy")
        #expect(status == "deleted")
    }

    @Test(arguments: families)
    func unshareSendsTheFamilysAttributeCall(_ family: Family) async throws {
        let attributes = """
            <\(family.noun)AttributesResult>
              <\(family.noun)Identifier>admin-copy</\(family.noun)Identifier>
              <\(family.noun)Attributes/>
            </\(family.noun)AttributesResult>
            """
        let aws = try StubbedAWS(.rds, body: RDSInstanceTests.result("Modify\(family.noun)Attribute", attributes))
        try await family.unshare(RDSClient(client: aws.client), "admin-copy", "222222222222")
        let form = aws.form()
        #expect(form["Action"] == "Modify\(family.noun)Attribute")
        #expect(form["\(family.noun)Identifier"] == "admin-copy")
        #expect(form["AttributeName"] == "restore")
        #expect(form["ValuesToRemove.AttributeValue.1"] == "222222222222")
        #expect(form["ValuesToAdd.AttributeValue.1"] == nil)
    }
}
