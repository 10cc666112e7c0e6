import AWSClient
import AWSServices

extension RDSPlacementClient {
    /// Whether DB cluster parameter group `name` exists (`DescribeDBClusterParameterGroups`).
    func clusterParameterGroupExists(_ name: String) async throws -> Bool {
        var p = QueryParameters()
        p.add("DBClusterParameterGroupName", name)
        do {
            let response = try await rds.query(action: "DescribeDBClusterParameterGroups", parameters: p.pairs, resource: name)
            return response.result.child("DBClusterParameterGroups")?.children.isEmpty == false
        } catch let error as AWSError where error.code == .dbClusterParameterGroupNotFound {
            return false
        }
    }
}
