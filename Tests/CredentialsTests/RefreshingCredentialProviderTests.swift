import AWSSigV4
import Foundation
import Testing

@testable import AWSClient

extension CredentialsSuite {
    @Suite struct RefreshingCredentialProviderTests {
        let clock = TestClock()
        var start: Date { Date(timeIntervalSince1970: 1_800_000_000) }
        var failure: CredentialsError { CredentialsError(code: .endpointUnreachable, source: "test", message: "endpoint down") }

        /// Polls (without sleeping) until `condition` holds; the callers need a few scheduler turns.
        func eventually(_ condition: () async -> Bool) async {
            for _ in 0..<100_000 {
                if await condition() { return }
                await Task.yield()
            }
            Issue.record("condition never became true")
        }

        @Test func servesCachedCredentialsUntilTheAdvisoryWindow() async throws {
            let source = CountingProvider(results: [.success(temporaryCredentials("ASIA1", expiresAt: start + 3600))])
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            #expect(try await provider.credentials().accessKeyId == "ASIA1")
            clock.advance(by: 44 * 60)  // 16 minutes left
            #expect(try await provider.credentials().accessKeyId == "ASIA1")
            #expect(source.fetches == 1)
        }

        @Test func refreshesAheadOfExpiryInsideTheAdvisoryWindow() async throws {
            let source = CountingProvider(results: [
                .success(temporaryCredentials("ASIA1", expiresAt: start + 3600)),
                .success(temporaryCredentials("ASIA2", expiresAt: start + 7200)),
            ])
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            _ = try await provider.credentials()
            clock.advance(by: 46 * 60)  // 14 minutes left
            #expect(try await provider.credentials().accessKeyId == "ASIA2")
            #expect(try await provider.credentials().accessKeyId == "ASIA2")
            #expect(source.fetches == 2)
        }

        @Test func advisoryRefreshFailureKeepsServingValidCredentialsAndBacksOff() async throws {
            let source = CountingProvider(results: [
                .success(temporaryCredentials("ASIA1", expiresAt: start + 3600)), .failure(failure), .failure(failure),
            ])
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            _ = try await provider.credentials()
            clock.advance(by: 46 * 60)
            #expect(try await provider.credentials().accessKeyId == "ASIA1")
            #expect(try await provider.credentials().accessKeyId == "ASIA1")
            #expect(source.fetches == 2, "no second attempt within the advisory retry interval")
            clock.advance(by: 31)
            #expect(try await provider.credentials().accessKeyId == "ASIA1")
            #expect(source.fetches == 3)
        }

        @Test func mandatoryWindowFailureIsThrown() async throws {
            let source = CountingProvider(results: [.success(temporaryCredentials("ASIA1", expiresAt: start + 3600)), .failure(failure)])
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            _ = try await provider.credentials()
            clock.advance(by: 51 * 60)  // 9 minutes left
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.message == "endpoint down")
        }

        @Test func fiftyConcurrentCallersShareOneFetch() async throws {
            let gate = AsyncGate()
            let source = CountingProvider(results: [.success(temporaryCredentials("ASIA1", expiresAt: start + 3600))], gate: gate)
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 { group.addTask { try await provider.credentials().accessKeyId } }
                await eventually { await provider.waiters == 50 }
                gate.open()
                var keys: [String] = []
                for try await key in group { keys.append(key) }
                #expect(keys == Array(repeating: "ASIA1", count: 50))
            }
            #expect(source.fetches == 1)
        }

        @Test func callersDuringAnAdvisoryRefreshGetCachedCredentialsWithoutWaiting() async throws {
            let gate = AsyncGate()
            let source = CountingProvider(
                results: [
                    .success(temporaryCredentials("ASIA1", expiresAt: start + 3600)),
                    .success(temporaryCredentials("ASIA2", expiresAt: start + 7200)),
                ],
                gate: gate, gateFromFetch: 2)
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            _ = try await provider.credentials()
            clock.advance(by: 46 * 60)
            async let refresher = provider.credentials().accessKeyId
            await eventually { await provider.waiters == 1 && source.fetches == 2 }
            for _ in 0..<10 { #expect(try await provider.credentials().accessKeyId == "ASIA1") }
            #expect(source.fetches == 2)
            gate.open()
            #expect(try await refresher == "ASIA2")
            #expect(try await provider.credentials().accessKeyId == "ASIA2")
            #expect(source.fetches == 2)
        }

        @Test func refreshedCredentialsThatAreAlreadyExpiredAreAnError() async throws {
            let source = CountingProvider(results: [.success(temporaryCredentials("ASIA0", expiresAt: start - 1))])
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            #expect(error.code == .expired)
        }

        @Test func credentialsWithoutExpiryAreFetchedOnce() async throws {
            let source = CountingProvider(results: [.success(AWSCredentials(accessKeyId: "AKIA", secretAccessKey: "s"))])
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            for _ in 0..<5 {
                _ = try await provider.credentials()
                clock.advance(by: 86400)
            }
            #expect(source.fetches == 1)
        }

        @Test func invalidateForcesTheNextCallToFetch() async throws {
            let source = CountingProvider(results: [.success(temporaryCredentials("ASIA1", expiresAt: start + 3600))])
            let provider = RefreshingCredentialProvider(wrapping: source, now: clock.closure)
            _ = try await provider.credentials()
            await provider.invalidate()
            _ = try await provider.credentials()
            #expect(source.fetches == 2)
        }
    }
}
