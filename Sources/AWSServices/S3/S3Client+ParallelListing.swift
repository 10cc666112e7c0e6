import Foundation

extension S3Client {
    /// Every object of `bucket`, listed `parallelism` prefixes at a time: each prefix is listed
    /// with the delimiter `/`, and the sub-prefixes S3 rolls up are listed the same way as they are
    /// discovered. Every key is listed exactly once (ListObjectsV2 with a delimiter returns a
    /// prefix's own objects and rolls the rest up), so a bucket of many prefixes costs the same
    /// pages as one sequential listing plus one request per prefix, and takes the time of its
    /// biggest prefix instead of the sum. A bucket whose keys share no `/` is listed sequentially.
    ///
    /// The order of the result is not the key order: objects come prefix by prefix as listed.
    /// `parallelism` 1 lists sequentially without a delimiter (`listAllObjects`), in key order.
    public func listAllObjectsInParallel(
        bucket: String, prefix: String? = nil, parallelism: Int = 16, expectedBucketOwner: String? = nil
    ) async throws -> [S3ObjectSummary] {
        guard parallelism > 1 else {
            return try await listAllObjects(bucket: bucket, prefix: prefix, expectedBucketOwner: expectedBucketOwner)
        }
        var all: [S3ObjectSummary] = []
        var pending: [String?] = [prefix]
        try await withThrowingTaskGroup(of: (objects: [S3ObjectSummary], prefixes: [String]).self) { group in
            var running = 0
            func launch() {
                let next = pending.removeLast()
                running += 1
                group.addTask {
                    var objects: [S3ObjectSummary] = []
                    var prefixes: [String] = []
                    for try await page in self.listObjectsV2Pages(
                        bucket: bucket, prefix: next, delimiter: "/", expectedBucketOwner: expectedBucketOwner)
                    {
                        objects += page.objects
                        prefixes += page.commonPrefixes
                    }
                    return (objects, prefixes)
                }
            }
            while !pending.isEmpty && running < max(1, parallelism) { launch() }
            while let (objects, prefixes) = try await group.next() {
                running -= 1
                all += objects
                pending += prefixes.reversed()
                while !pending.isEmpty && running < max(1, parallelism) { launch() }
            }
        }
        return all
    }
}
