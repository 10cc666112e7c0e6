import AWSSigV4
import Foundation
import Testing

@testable import AWSSimulator

/// The simulated clock may run far ahead of the wall clock (time scale, "skip the forced wait"),
/// yet real clients sign with the wall clock. Both must be accepted; a request far from both not.
@Suite("SimAuth: which clock judges a signature")
struct SimSigningClockTests {
    func signedCallerIdentity(at date: Date, key: SimAccessKey) -> SimRequest {
        let body = Data("Action=GetCallerIdentity&Version=2011-06-15".utf8)
        let headers = [(name: "Host", value: "127.0.0.1"), (name: "Content-Type", value: "application/x-www-form-urlencoded")]
        let signature = SigV4Signer(service: "sts", region: "us-east-1").sign(
            SigV4Request(method: "POST", path: "/", query: [], headers: headers, payload: .bytes(body)), credentials: key.credentials,
            date: date)
        return SimRequest(method: "POST", path: "/", headers: headers + signature.headersToAdd, body: body)
    }

    @Test func wallClockSignaturesStayValidWhileSimulatedTimeRunsAhead() throws {
        let clock = ScaledClock(scale: 360)
        let simulator = Simulator(clock: clock)
        try simulator.addAccount(id: "111111111111", name: "legacy")
        let key = try simulator.addUser(account: "111111111111", name: "operator")
        clock.advance(by: 6 * 3600)  // the demo skipped a forced wait
        #expect(simulator.handle(signedCallerIdentity(at: Date(), key: key)).status == 200)
        #expect(simulator.handle(signedCallerIdentity(at: clock.now(), key: key)).status == 200)
        let response = simulator.handle(signedCallerIdentity(at: Date().addingTimeInterval(-2 * 3600), key: key))
        #expect(response.status == 403)
    }

    @Test func amzDateParsingMatchesFoundation() {
        #expect(Simulator.parseAmzDate("20150830T123600Z") == Date(timeIntervalSince1970: 1_440_938_160))
        #expect(Simulator.parseAmzDate("20240229T000000Z") == ISO8601DateFormatter().date(from: "2024-02-29T00:00:00Z"))
        #expect(Simulator.parseAmzDate("2015-08-30T12:36") == nil)
    }
}
