import AWSSimulator
import Engine
import Foundation

/// One virtual time for the engine and the simulator: the simulator reads the engine's clock, so
/// the forced wait the engine sleeps through is the hour the simulator holds the bucket name.
public struct SharedSimClock: SimClock {
    public let engine: ManualClock

    public init(_ engine: ManualClock) { self.engine = engine }

    public func now() -> Date { engine.now() }
}
