import Foundation
import Testing

@testable import AWSSigV4

/// The daemon signs from many tasks at once through one `SigningKeyCache`, whose keys now carry
/// precomputed HMAC states (issue 19). Threads signing, deriving and evicting together must give
/// exactly the signatures one thread gives.
@Suite struct ConcurrentSigningTests {
    struct Job {
        var signer: SigV4Signer
        var request: SigV4Request
        var credentials: AWSCredentials
        var date: Date
    }

    /// Six scopes (two secrets × three services) over two days: twelve keys, more than the shared
    /// cache below holds, so threads also derive, insert and evict while others read.
    static func jobs(cache: SigningKeyCache) -> [Job] {
        let credentials = [
            AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            AWSCredentials(
                accessKeyId: "ASIAEXAMPLE", secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
                sessionToken: String(repeating: "FwoGZXIvYXdzEBYaDH", count: 40)),
        ]
        let signers = [
            SigV4Signer(service: "s3", region: "us-east-1", options: .s3, keyCache: cache),
            SigV4Signer(service: "sts", region: "eu-west-1", keyCache: cache),
            SigV4Signer(service: "rds", region: "ap-southeast-2", keyCache: cache),
        ]
        return (0..<240).map { index in
            let signer = signers[index % 3]
            let request = SigV4Request(
                method: index % 2 == 0 ? "GET" : "POST", path: "/bucket/key-\(index)",
                query: [("n", "\(index)"), ("prefix", "a b/\(index % 7)")],
                headers: [("Host", "\(signer.service).\(signer.region).amazonaws.com"), ("X-Index", "\(index)")],
                payload: .bytes(Data("Action=Describe&Index=\(index)".utf8)))
            return Job(
                signer: signer, request: request, credentials: credentials[index / 3 % 2],
                date: Date(timeIntervalSince1970: 1_440_938_160 + Double(index % 2) * 86_400 + Double(index)))
        }
    }

    @Test func threadsSharingOneCacheSignAsOneThreadDoes() {
        // One thread, its own cache: the reference signatures.
        let reference = Self.jobs(cache: SigningKeyCache()).map { job in
            job.signer.sign(job.request, credentials: job.credentials, date: job.date).headersToAdd.last!.value
        }
        // Eight threads, one cache of 5 keys for 12 scopes, each thread through the jobs in its
        // own order, three times.
        let jobs = Self.jobs(cache: SigningKeyCache(capacity: 5))
        let threads = 8
        let results = UnsafeMutableBufferPointer<String?>.allocate(capacity: threads * jobs.count * 3)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let base = UnsafeSendablePointer(results.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for round in 0..<3 {
                for step in jobs.indices {
                    let rotated = (step + thread * 31 + round * 17) % jobs.count
                    let index = thread % 2 == 0 ? rotated : jobs.count - 1 - rotated
                    let job = jobs[index]
                    let authorization = job.signer.sign(job.request, credentials: job.credentials, date: job.date)
                        .headersToAdd.last!.value
                    base.pointer[(thread * 3 + round) * jobs.count + index] = authorization
                }
            }
        }
        var mismatches = 0
        for slot in 0..<results.count where results[slot] != reference[slot % jobs.count] { mismatches += 1 }
        #expect(mismatches == 0)
        #expect(reference.allSatisfy { $0.hasPrefix("AWS4-HMAC-SHA256 Credential=") })
    }
}

/// Hands a buffer to `concurrentPerform`'s threads, each of which writes only its own slots.
struct UnsafeSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
