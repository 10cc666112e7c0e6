import AWSSimulator
import Foundation
import Testing

@Suite("simulator request log")
struct SimRequestLogTests {
    @Test func logKeepsTheNewestRecordsWithinItsLimitAndKeepsCounting() {
        let simulator = Simulator(configuration: SimConfiguration(requestLogLimit: 10), clock: VirtualClock())
        for i in 0..<25 { _ = simulator.handle(SimRequest(method: "GET", path: "/anonymous-\(i)")) }
        let log = simulator.requestLog
        #expect(log.count <= 10)
        #expect(log.last?.sequence == 25)
        #expect(log.allSatisfy { $0.status == 403 && $0.errorCode == "AccessDenied" })
    }
}
