import Foundation

/// What a request acts on, read from the raw request before any service has interpreted it, so
/// fault rules and the rate limiter can decide without running the operation.
enum FaultTarget {
    /// Bucket and key of an S3 request, percent-decoded; the key is empty for bucket-level
    /// requests. Nil for `/` (ListBuckets). Path-style (`/bucket/key`) unless the Host names the
    /// bucket (`bucket.s3.amazonaws.com`, `bucket.s3.localhost`), the same rule as S3Service's
    /// addressing, kept here so fault decisions never depend on a service's internals.
    static func s3Location(_ request: SimRequest) -> (bucket: String, key: String)? {
        var rest = Substring(request.path)
        if rest.first == "/" { rest = rest.dropFirst() }
        if let host = request.header("Host"), let bucket = virtualHostBucket(host) {
            return (bucket, SimPercent.decode(String(rest)))
        }
        guard !rest.isEmpty else { return nil }
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = SimPercent.decode(String(parts[0]))
        let key = parts.count > 1 ? SimPercent.decode(String(parts[1])) : ""
        return (bucket, key)
    }

    private static func virtualHostBucket(_ host: String) -> String? {
        let name = (host.split(separator: ":").first.map(String.init) ?? host).lowercased()
        for marker in [".s3.", ".s3-"] {
            guard let range = name.range(of: marker) else { continue }
            let rest = name[range.upperBound...]
            guard rest.hasSuffix("amazonaws.com") || rest.hasSuffix("localhost") || rest.hasSuffix("localhost.localstack.cloud") else {
                continue
            }
            let bucket = String(name[..<range.lowerBound])
            return bucket.isEmpty ? nil : bucket
        }
        return nil
    }

    /// The resource names a rule's `resourcePrefix` is compared with (see `FaultRule`).
    static func resources(of request: SimRequest, service: String) -> [String] {
        switch service.lowercased() {
        case "s3":
            guard let location = s3Location(request) else { return [] }
            return [location.key.isEmpty ? location.bucket : "\(location.bucket)/\(location.key)"]
        case "kms":
            guard let object = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else { return [] }
            return ["KeyId", "AliasName", "GrantId", "DestinationKeyId"].compactMap { object[$0] as? String }
        case "ec2":
            let items = request.method == "GET" ? request.queryItems : request.formItems
            return items.filter { $0.name.hasPrefix("GroupId.") || $0.name.hasPrefix("GroupName.") }.map(\.value)
        default:
            let items = request.method == "GET" ? request.queryItems : request.formItems
            return items.filter { $0.name.hasSuffix("Identifier") || $0.name.hasSuffix("Arn") || $0.name.hasSuffix("Name") }.map(\.value)
        }
    }
}
