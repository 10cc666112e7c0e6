import Foundation

/// The fuzz targets: each takes arbitrary bytes, feeds them to one parser or decoder of the real
/// code, and checks the invariants that must hold whatever arrives.
///
/// A thrown error is a correct answer to bad input; a trap, a sanitizer report, a hang or a
/// broken invariant (a `precondition` here) is a finding. `cutover-fuzz` runs one target under
/// libFuzzer or replays saved inputs; `FuzzTests` replays the committed corpus and regressions.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case runbook
    case config
    case awsXML = "aws-xml"
    case awsJSON = "aws-json"
    case controlRequest = "control-request"
    case sigv4

    /// Runs one input through the target. Returns normally for any input the code handles,
    /// rejection included; traps on a finding.
    public func run(_ data: Data) async {
        switch self {
        case .runbook: RunbookFuzzTarget.run(data)
        case .config: ConfigFuzzTarget.run(data)
        case .awsXML: await AWSXMLFuzzTarget.run(data)
        case .awsJSON: await AWSJSONFuzzTarget.run(data)
        case .controlRequest: ControlRequestFuzzTarget.run(data)
        case .sigv4: SigV4FuzzTarget.run(data)
        }
    }

    /// Runs one input from synchronous code (libFuzzer's callback), waiting for the async
    /// targets on a semaphore. Never call it from a Swift concurrency thread.
    public func runBlocking(_ data: Data) {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await run(data)
            done.signal()
        }
        done.wait()
    }
}
