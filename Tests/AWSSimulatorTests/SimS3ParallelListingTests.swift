import AWSServices
import AWSSimulator
import Foundation
import TestSupport
import Testing

/// `S3Client.listAllObjectsInParallel` (issue 19) against the simulator: prefixes discovered with
/// the delimiter and listed side by side give exactly the keys of one sequential listing, each
/// once, for the pages of one listing plus one request per prefix.
@Suite struct SimS3ParallelListingTests {
    @Test func prefixesListedInParallelGiveEveryKeyExactlyOnce() async throws {
        let world = try SimS3ClientTests.World()
        try world.simulator.seedBucket("spread", account: SimS3ClientTests.legacy)
        var keys: [String] = ["root.txt", "a/", "a//double", "zeta"]
        for top in 0..<5 {
            for sub in 0..<3 {
                for index in 0..<(top == 2 ? 1_250 : 40) { keys.append("p\(top)/s\(sub)/\(index).bin") }
            }
            keys.append("p\(top)/direct-\(top)")
        }
        for key in keys { try world.simulator.seedObject(bucket: "spread", key: key, body: Data(key.utf8)) }
        let before = world.simulator.requests(where: { $0.operation == "ListObjectsV2" }).count

        let parallel = try await world.legacy.listAllObjectsInParallel(bucket: "spread", parallelism: 4)
        let listRequests = world.simulator.requests(where: { $0.operation == "ListObjectsV2" }).count - before
        let sequential = try await world.legacy.listAllObjects(bucket: "spread")

        #expect(parallel.count == keys.count, "every key once")
        #expect(Set(parallel.map(\.key)) == Set(keys))
        #expect(Set(parallel.map(\.key)).count == parallel.count, "no key twice")
        #expect(parallel.sorted { $0.key < $1.key } == sequential)
        // Prefixes: root, a/, a//, p0/…p4/ and their 15 sub-prefixes = 23 listings; p2/s*/ take 2 pages each.
        #expect(listRequests == 23 + 3, "\(listRequests) ListObjectsV2 requests")
        let oneByOne = try await world.legacy.listAllObjectsInParallel(bucket: "spread", parallelism: 1)
        #expect(oneByOne == sequential, "parallelism 1 is the sequential listing")
    }
}
