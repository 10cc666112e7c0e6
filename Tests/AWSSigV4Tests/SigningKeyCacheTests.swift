import Foundation
import Testing

@testable import AWSSigV4

@Suite struct SigningKeyCacheTests {
    let request = SigV4Request(
        method: "GET", path: "/", query: [], headers: [("Host", "sts.amazonaws.com")], payload: .bytes(Data()))

    @Test func sameScopeReusesOneKey() {
        let cache = SigningKeyCache()
        let signer = SigV4Signer(service: "sts", region: "us-east-1", keyCache: cache)
        _ = signer.sign(request, credentials: TestFixtures.suiteCredentials, date: TestFixtures.suiteDate)
        _ = signer.sign(request, credentials: TestFixtures.suiteCredentials, date: TestFixtures.suiteDate + 3600)
        #expect(cache.count == 1)
        let first = signer.signingKey(credentials: TestFixtures.suiteCredentials, dateStamp: "20150830")
        let second = signer.signingKey(credentials: TestFixtures.suiteCredentials, dateStamp: "20150830")
        #expect(first == second)
        #expect(cache.count == 1)
    }

    @Test func differentDateDerivesDifferentKey() {
        let cache = SigningKeyCache()
        let signer = SigV4Signer(service: "sts", region: "us-east-1", keyCache: cache)
        _ = signer.sign(request, credentials: TestFixtures.suiteCredentials, date: TestFixtures.suiteDate)
        _ = signer.sign(request, credentials: TestFixtures.suiteCredentials, date: TestFixtures.suiteDate + 86_400)
        #expect(cache.count == 2)
        let today = signer.signingKey(credentials: TestFixtures.suiteCredentials, dateStamp: "20150830")
        let tomorrow = signer.signingKey(credentials: TestFixtures.suiteCredentials, dateStamp: "20150831")
        #expect(today != tomorrow)
    }

    @Test func scopeIncludesSecretRegionAndService() {
        let cache = SigningKeyCache()
        let base = cache.signingKey(
            secretAccessKey: "secret-a", dateStamp: "20150830", region: "us-east-1", service: "s3")
        #expect(
            base
                != cache.signingKey(
                    secretAccessKey: "secret-b", dateStamp: "20150830", region: "us-east-1", service: "s3"))
        #expect(
            base
                != cache.signingKey(
                    secretAccessKey: "secret-a", dateStamp: "20150830", region: "eu-west-1", service: "s3"))
        #expect(
            base
                != cache.signingKey(
                    secretAccessKey: "secret-a", dateStamp: "20150830", region: "us-east-1", service: "sts"))
        #expect(cache.count == 4)
    }

    @Test func cachedKeyEqualsFreshDerivation() {
        let cache = SigningKeyCache()
        let cached = cache.signingKey(
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20120215", region: "us-east-1",
            service: "iam")
        // AWS General Reference, "Examples of how to derive a signing key".
        #expect(cached.hexForTesting == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
        let again = cache.signingKey(
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", dateStamp: "20120215", region: "us-east-1",
            service: "iam")
        #expect(again == cached)
    }

    @Test func capacityEvictsOldestFirst() {
        let cache = SigningKeyCache(capacity: 2)
        _ = cache.signingKey(secretAccessKey: "s", dateStamp: "20200101", region: "r", service: "x")
        _ = cache.signingKey(secretAccessKey: "s", dateStamp: "20200102", region: "r", service: "x")
        _ = cache.signingKey(secretAccessKey: "s", dateStamp: "20200103", region: "r", service: "x")
        #expect(cache.count == 2)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    /// The cache finds keys by a fingerprint of the scope, then compares the strings: every
    /// scope, before and after evictions, must get exactly its own derived key.
    @Test func everyScopeGetsItsOwnKeyThroughEvictions() {
        let cache = SigningKeyCache(capacity: 5)
        let scopes = [
            ("s", "20200101", "r", "x"), ("s", "20200101", "r", "xx"), ("s", "20200101", "rx", "x"),
            ("sr", "20200101", "", "x"), ("s", "20200102", "r", "x"), ("t", "20200101", "r", "x"),
            (String(repeating: "k", count: 40), "20200101", "us-east-1", "s3"),
            (String(repeating: "k", count: 39) + "j", "20200101", "us-east-1", "s3"),
        ]
        for round in 0..<3 {
            for (secret, date, region, service) in scopes.shuffled() {
                let key = cache.signingKey(secretAccessKey: secret, dateStamp: date, region: region, service: service)
                let fresh = SigV4SigningKey(secretAccessKey: secret, dateStamp: date, region: region, service: service)
                #expect(key == fresh, "round \(round): \(date)/\(region)/\(service)")
            }
            #expect(cache.count == 5)
        }
    }

    @Test func concurrentSigningAgrees() async {
        let cache = SigningKeyCache()
        let signer = SigV4Signer(service: "sts", region: "us-east-1", keyCache: cache)
        let request = self.request
        let expected = signer.sign(request, credentials: TestFixtures.suiteCredentials, date: TestFixtures.suiteDate)
        let signatures = await withTaskGroup(of: String.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    String(
                        signer.sign(request, credentials: TestFixtures.suiteCredentials, date: TestFixtures.suiteDate)
                            .signature)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(signatures.allSatisfy { $0 == expected.signature })
        #expect(cache.count == 1)
    }
}
