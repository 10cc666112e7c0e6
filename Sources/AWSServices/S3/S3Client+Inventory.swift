import Foundation

/// One S3 Inventory configuration as ListBucketInventoryConfigurations answers it ([BC-S3]
/// InventoryConfiguration): where the reports go, in which format, which versions and fields.
public struct S3BucketInventoryConfiguration: Sendable, Equatable {
    public var id: String
    /// The destination bucket's name (the ARN's last part).
    public var destinationBucket: String
    public var destinationAccount: String?
    public var destinationPrefix: String?
    /// `CSV`, `ORC` or `Parquet`.
    public var format: String
    public var enabled: Bool
    /// `All` or `Current`.
    public var includedObjectVersions: String
    public var filterPrefix: String?
    public var optionalFields: [String]
    /// `Daily` or `Weekly`.
    public var frequency: String

    init(xml node: XMLNode) throws {
        guard let id = node.string("Id"), let destination = node.child("Destination")?.child("S3BucketDestination"),
            let arn = destination.string("Bucket"), let format = destination.string("Format")
        else { throw XMLDecodeError(message: "an InventoryConfiguration without Id, Destination Bucket or Format") }
        self.id = id
        destinationBucket = arn.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? arn
        destinationAccount = destination.string("AccountId")
        destinationPrefix = destination.string("Prefix")
        self.format = format
        enabled = node.string("IsEnabled") == "true"
        includedObjectVersions = node.string("IncludedObjectVersions") ?? "Current"
        filterPrefix = node.child("Filter")?.string("Prefix")
        optionalFields = node.child("OptionalFields")?.children("Field").map(\.trimmedText) ?? []
        frequency = node.child("Schedule")?.string("Frequency") ?? "Daily"
    }
}

/// A byte range of an object, and the object's whole size (from `Content-Range`).
public struct S3ObjectRange: Sendable {
    public var body: Data
    public var totalSize: Int64
}

extension S3Client {
    /// Every inventory configuration of `bucket`, following continuation tokens
    /// (`s3:GetInventoryConfiguration`); empty when there is none.
    public func listBucketInventoryConfigurations(
        bucket: String, expectedBucketOwner: String? = nil
    ) async throws
        -> [S3BucketInventoryConfiguration]
    {
        var all: [S3BucketInventoryConfiguration] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("inventory", "")]
            if let token { query.append(("continuation-token", token)) }
            let request = AWSRequest(
                operation: "ListBucketInventoryConfigurations", path: "/", bucket: bucket, query: query,
                headers: ownerHeaders(expectedBucketOwner), resource: bucket)
            let (page, next) = try await sendXML(request) { root -> ([S3BucketInventoryConfiguration], String?) in
                guard root.localName == "ListInventoryConfigurationsResult" else {
                    throw XMLDecodeError(message: "expected <ListInventoryConfigurationsResult>, got <\(root.name)>")
                }
                let configurations = try root.children("InventoryConfiguration").map(S3BucketInventoryConfiguration.init(xml:))
                return (configurations, root.string("IsTruncated") == "true" ? root.string("NextContinuationToken") : nil)
            }
            all += page
            token = next
        } while token != nil
        return all
    }

    /// Bytes `range` of an object (`Range: bytes=a-b`, answered 206), for reading a large object
    /// piece by piece in bounded memory. A range past the end answers `InvalidRange` (416).
    public func getObjectRange(
        bucket: String, key: String, range: ClosedRange<Int64>, expectedBucketOwner: String? = nil
    )
        async throws -> S3ObjectRange
    {
        var headers = ownerHeaders(expectedBucketOwner)
        headers.set("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")
        let request = AWSRequest(
            operation: "GetObject", path: Self.objectPath(key), bucket: bucket, headers: headers, resource: "\(bucket)/\(key)")
        let response = try await send(request)
        // `bytes 0-99/1234`; a 200 without it is the whole object.
        if let contentRange = response.headers["Content-Range"] {
            guard let slash = contentRange.lastIndex(of: "/"), let total = Int64(contentRange[contentRange.index(after: slash)...]) else {
                throw client.malformed(request, response, reason: "Content-Range \(contentRange) has no total size")
            }
            return S3ObjectRange(body: response.body, totalSize: total)
        }
        return S3ObjectRange(body: response.body, totalSize: Int64(response.body.count))
    }
}
