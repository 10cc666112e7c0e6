import AWSClient
import AWSServices
import Foundation

/// Describing one RDS resource by identifier: nil when RDS says it does not exist.
enum RDSLookup {
    static func find<T>(
        _ id: String, account: String, notFound: AWSErrorCode, _ describe: () async throws -> T?
    ) async throws -> T? {
        do {
            return try await describe()
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as AWSError where error.code == notFound {
            return nil
        } catch {
            throw AWSCallBoundary.stepError(error, account: account, resource: id)
        }
    }

    static func instance(_ id: String, client: RDSClient, account: String) async throws -> RDSDBInstance? {
        try await find(id, account: account, notFound: .dbInstanceNotFound) {
            try await client.describeDBInstances(DescribeDBInstancesRequest(instanceIdentifier: id)).items.first
        }
    }

    static func cluster(_ id: String, client: RDSClient, account: String) async throws -> RDSDBCluster? {
        try await find(id, account: account, notFound: .dbClusterNotFound) {
            try await client.describeDBClusters(DescribeDBClustersRequest(clusterIdentifier: id)).items.first
        }
    }
}
