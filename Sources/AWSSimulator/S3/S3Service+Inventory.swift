import Foundation

/// S3 Inventory configurations (`?inventory`): ListBucketInventoryConfigurations,
/// Get/Put/DeleteBucketInventoryConfiguration. Documents are stored verbatim by ID, like the other
/// sub-resources; the reports themselves are written by `S3State.deliverInventoryReport`.
extension S3Service {
    /// The operation of a `?inventory` request: with `id` one configuration, without it the list.
    static func inventoryOperation(_ method: String, hasId: Bool) -> String? {
        switch method {
        case "GET": hasId ? "GetBucketInventoryConfiguration" : "ListBucketInventoryConfigurations"
        case "PUT": "PutBucketInventoryConfiguration"
        case "DELETE": "DeleteBucketInventoryConfiguration"
        default: nil
        }
    }

    static let inventoryOperations: Set<String> = [
        "GetBucketInventoryConfiguration", "ListBucketInventoryConfigurations", "PutBucketInventoryConfiguration",
        "DeleteBucketInventoryConfiguration",
    ]

    /// Up to 100 configurations a page ([BC-S3] ListBucketInventoryConfigurations: "returns up to 100").
    static let inventoryPageSize = 100

    func bucketInventory(_ operation: String, _ call: inout S3Call, _ s3: inout S3State) throws(SimError) -> SimResponse {
        // IAM has one action for reading (list and get) and one for writing (put and delete).
        let action =
            operation.hasPrefix("Get") || operation.hasPrefix("List") ? "s3:GetInventoryConfiguration" : "s3:PutInventoryConfiguration"
        try authorize(call, s3, .ownerOnly(action, denyable: true))
        let name = call.bucket
        let bucket = s3.buckets[name]!
        switch operation {
        case "ListBucketInventoryConfigurations":
            let ids = bucket.inventoryConfigurations.keys.sorted()
            var start = 0
            if let token = call.query("continuation-token") {
                guard let after = Data(base64Encoded: token).flatMap({ String(data: $0, encoding: .utf8) }) else {
                    throw S3Errors.invalidArgument("The continuation token provided is incorrect", name)
                }
                start = ids.firstIndex { $0 > after } ?? ids.count
            }
            let page = ids[start...].prefix(Self.inventoryPageSize)
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListInventoryConfigurationsResult xmlns=\"\(s3Namespace)\">"
            if let token = call.query("continuation-token") {
                xml += "<ContinuationToken>\(S3XMLBuilder.escape(token))</ContinuationToken>"
            }
            for id in page { xml += Self.bareDocument(bucket.inventoryConfigurations[id]!) }
            let truncated = start + page.count < ids.count
            xml += "<IsTruncated>\(truncated)</IsTruncated>"
            if truncated, let last = page.last {
                xml += "<NextContinuationToken>\(Data(last.utf8).base64EncodedString())</NextContinuationToken>"
            }
            return call.xml(xml + "</ListInventoryConfigurationsResult>")
        case "GetBucketInventoryConfiguration":
            guard let id = call.query("id"), let document = bucket.inventoryConfigurations[id] else {
                throw S3Errors.noSuchConfiguration(name)
            }
            return call.xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + Self.bareDocument(document))
        case "DeleteBucketInventoryConfiguration":
            guard let id = call.query("id"), bucket.inventoryConfigurations[id] != nil else { throw S3Errors.noSuchConfiguration(name) }
            try s3.modify(name) { bucket in bucket.inventoryConfigurations[id] = nil }
            call.mutated = true
            return call.respond(204)
        default:
            guard let id = call.query("id"), !id.isEmpty else {
                throw S3Errors.invalidArgument("The inventory configuration needs an id", name)
            }
            let document = String(decoding: call.request.body, as: UTF8.self)
            let configuration = try S3InventoryConfiguration(document: document, bucket: name)
            guard configuration.id == id else {
                throw S3Errors.invalidArgument("The Id in the configuration does not match the id in the request", name)
            }
            try s3.modify(name) { bucket in bucket.inventoryConfigurations[id] = document }
            call.mutated = true
            return call.respond(200)
        }
    }

    /// The `<InventoryConfiguration>` element without an XML declaration, to embed in a list.
    static func bareDocument(_ document: String) -> String {
        guard document.hasPrefix("<?xml"), let end = document.range(of: "?>") else { return document }
        return String(document[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension S3Errors {
    /// GetBucketInventoryConfiguration of an ID that does not exist ([BC-S3]; the S3 error code list).
    static func noSuchConfiguration(_ bucket: String) -> SimError {
        SimError("NoSuchConfiguration", "The specified configuration does not exist.", status: 404, resource: bucket)
    }
}

/// An inventory configuration's parts the simulator acts on ([BC-S3] InventoryConfiguration).
public struct S3InventoryConfiguration: Sendable, Equatable {
    public var id: String
    /// The destination bucket's name (from `arn:aws:s3:::name`).
    public var destinationBucket: String
    public var destinationAccount: String?
    public var destinationPrefix: String?
    public var format: String
    public var enabled: Bool
    /// `All` (every version and delete marker) or `Current`.
    public var includedObjectVersions: String
    public var filterPrefix: String?
    public var optionalFields: [String]
    public var frequency: String

    public init(
        id: String, destinationBucket: String, destinationAccount: String? = nil, destinationPrefix: String? = nil, format: String = "CSV",
        enabled: Bool = true, includedObjectVersions: String = "Current", filterPrefix: String? = nil,
        optionalFields: [String] = ["Size", "LastModifiedDate", "StorageClass", "ETag"], frequency: String = "Daily"
    ) {
        self.id = id
        self.destinationBucket = destinationBucket
        self.destinationAccount = destinationAccount
        self.destinationPrefix = destinationPrefix
        self.format = format
        self.enabled = enabled
        self.includedObjectVersions = includedObjectVersions
        self.filterPrefix = filterPrefix
        self.optionalFields = optionalFields
        self.frequency = frequency
    }

    static let formats: Set<String> = ["CSV", "ORC", "Parquet"]

    init(document: String, bucket: String) throws(SimError) {
        guard let root = S3XMLElement.parse(Data(document.utf8)), root.name == "InventoryConfiguration" else {
            throw S3Errors.malformedXML(bucket)
        }
        guard let id = root.string("Id"), let destination = root.child("Destination")?.child("S3BucketDestination"),
            let arn = destination.string("Bucket"), let format = destination.string("Format"),
            let versions = root.string("IncludedObjectVersions"),
            let enabled = root.string("IsEnabled"), let frequency = root.child("Schedule")?.string("Frequency")
        else { throw S3Errors.malformedXML(bucket) }
        guard arn.hasPrefix("arn:aws:s3:::"), Self.formats.contains(format), ["All", "Current"].contains(versions),
            ["Daily", "Weekly"].contains(frequency)
        else { throw S3Errors.invalidArgument("Invalid inventory destination, format, versions or frequency", bucket) }
        self.init(
            id: id, destinationBucket: String(arn.dropFirst("arn:aws:s3:::".count)), destinationAccount: destination.string("AccountId"),
            destinationPrefix: destination.string("Prefix"), format: format, enabled: enabled == "true", includedObjectVersions: versions,
            filterPrefix: root.child("Filter")?.string("Prefix"),
            optionalFields: root.child("OptionalFields")?.children("Field").map(\.trimmedText) ?? [], frequency: frequency)
    }

    /// The configuration as PutBucketInventoryConfiguration takes it.
    public var document: String {
        var xml = S3XMLBuilder(root: "InventoryConfiguration")
        xml.start("Destination")
        xml.start("S3BucketDestination")
        xml.optional("AccountId", destinationAccount)
        xml.element("Bucket", "arn:aws:s3:::\(destinationBucket)")
        xml.element("Format", format)
        xml.optional("Prefix", destinationPrefix)
        xml.end()
        xml.end()
        xml.element("IsEnabled", enabled ? "true" : "false")
        if let filterPrefix {
            xml.start("Filter")
            xml.element("Prefix", filterPrefix)
            xml.end()
        }
        xml.element("Id", id)
        xml.element("IncludedObjectVersions", includedObjectVersions)
        if !optionalFields.isEmpty {
            xml.start("OptionalFields")
            for field in optionalFields { xml.element("Field", field) }
            xml.end()
        }
        xml.start("Schedule")
        xml.element("Frequency", frequency)
        xml.end()
        return xml.finish()
    }
}
