import AWSSimulator
import Foundation
import Testing

@Suite("simulator clocks")
struct SimClockTests {
    @Test func virtualClockMovesOnlyWhenAdvanced() {
        let clock = VirtualClock(start: Date(timeIntervalSince1970: 0))
        #expect(clock.now() == Date(timeIntervalSince1970: 0))
        clock.advance(by: 3600)
        #expect(clock.now() == Date(timeIntervalSince1970: 3600))
    }

    @Test func scaledClockRunsFasterAndKeepsTimeAcrossScaleChanges() {
        let real = RealTimeStub()
        let clock = ScaledClock(scale: 360, start: Date(timeIntervalSince1970: 0), realNow: { real.now })
        real.advance(10)
        #expect(clock.now() == Date(timeIntervalSince1970: 3600))  // ten real seconds = one simulated hour
        clock.setScale(1)
        real.advance(10)
        #expect(clock.now() == Date(timeIntervalSince1970: 3610))
        clock.advance(by: 50)
        #expect(clock.now() == Date(timeIntervalSince1970: 3660))
    }

    @Test func scaledClocksWithTheSameOriginAnchorAndScaleAgreeWhenEverCreated() {
        let real = RealTimeStub()
        let origin = Date(timeIntervalSince1970: 1_796_000_000)
        let anchor = real.now.addingTimeInterval(-9.5)  // fractional, and before either clock exists
        let simulator = ScaledClock(scale: 60, start: origin, anchor: anchor, realNow: { real.now })
        real.advance(7)
        let daemon = ScaledClock(scale: 60, start: origin, anchor: anchor, realNow: { real.now })
        #expect(simulator.now() == daemon.now())
        #expect(simulator.now() == origin.addingTimeInterval(16.5 * 60))
    }

    @Test func scaledClockWithAnAnchorAloneStartsAtTheAnchor() {
        let real = RealTimeStub()
        let anchor = real.now.addingTimeInterval(-10)
        let clock = ScaledClock(scale: 360, anchor: anchor, realNow: { real.now })
        #expect(clock.now() == anchor.addingTimeInterval(3600))
    }

    @Test func seededRequestIdsReproduce() {
        var a = SimRandom(seed: 42)
        var b = SimRandom(seed: 42)
        #expect(a.requestId() == b.requestId())
        #expect(a.requestId().count == 16)
    }
}

final class RealTimeStub: @unchecked Sendable {
    private var t = Date(timeIntervalSince1970: 1_000_000)
    private let lock = NSLock()
    var now: Date { lock.withLock { t } }
    func advance(_ s: TimeInterval) { lock.withLock { t = t.addingTimeInterval(s) } }
}
