import Foundation
import FuzzTargets
import Testing

/// Each input libFuzzer found a crash with (Tests/Fuzz/regressions/<target>/), replayed through
/// its target: one test per finding, named after the behaviour it pins, plus a sweep that replays
/// every regression file so one added without its own test still runs.
@Suite struct FuzzRegressionTests {
    /// FoundationXML trapped on an element name whose bytes are not UTF-8; `XMLNode.parse` now
    /// refuses a body that is not UTF-8 before parsing it, and every client reports an `AWSError`.
    @Test func xmlResponseThatIsNotUTF8IsAnErrorNotACrash() async throws {
        for name in ["element-name-not-utf8.xml", "element-name-not-utf8-minimal.xml"] {
            await FuzzTarget.awsXML.run(try Data(contentsOf: FuzzInputs.regression(.awsXML, name)))
        }
    }

    /// FoundationXML called strlen on a null pointer for a processing instruction without data
    /// (`<?target?>`); `XMLNode.parse` now refuses processing instructions and DTDs.
    @Test func xmlResponseWithAProcessingInstructionIsAnErrorNotACrash() async throws {
        await FuzzTarget.awsXML.run(
            try Data(contentsOf: FuzzInputs.regression(.awsXML, "processing-instruction-without-data.xml")))
    }

    /// A JSON error whose `__type` shortens to nothing (`"#"`, `"…#"`) decoded to an empty error
    /// code; `AWSErrorDecoder` now falls back to the header's type, then the status.
    @Test func jsonErrorWhoseTypeShortensToNothingStillHasACode() async throws {
        for name in ["error-type-shortens-to-nothing.json", "error-type-ending-in-hash.json"] {
            await FuzzTarget.awsJSON.run(try Data(contentsOf: FuzzInputs.regression(.awsJSON, name)))
        }
    }

    /// Not a finding in Cutover: the harness cut request lines on Characters, where `\r\n` is one
    /// Character, so a CR before a line break kept the LF in the request path and the canonical
    /// request seemed to gain a line. Lines are now cut on bytes.
    @Test func crBeforeALineBreakDoesNotPutALineFeedInTheSignedPath() async throws {
        await FuzzTarget.sigv4.run(try Data(contentsOf: FuzzInputs.regression(.sigv4, "cr-before-line-break.txt")))
    }

    /// The targets with at least one regression input; a target with none is not swept (it would
    /// pass with nothing replayed) and is named by `targetsWithoutAFindingAreNamed` instead.
    static var targetsWithRegressions: [FuzzTarget] {
        FuzzTarget.allCases.filter { !((try? FuzzInputs.files(in: directory(of: $0))) ?? []).isEmpty }
    }

    static func directory(of target: FuzzTarget) -> URL {
        FuzzInputs.root.appendingPathComponent("regressions").appendingPathComponent(target.rawValue)
    }

    @Test(arguments: FuzzRegressionTests.targetsWithRegressions)
    func everyRegressionInputIsHandledWithoutAFinding(_ target: FuzzTarget) async throws {
        let inputs = try FuzzInputs.files(in: Self.directory(of: target))
        #expect(!inputs.isEmpty, "\(target.rawValue) has no regression inputs")
        for input in inputs {
            await target.run(try Data(contentsOf: input))
        }
    }

    /// Says which targets have never produced a finding, so the sweep's coverage is explicit: when
    /// a first regression lands for one of these, or one loses its folder, this list must change.
    @Test func targetsWithoutAFindingAreNamed() {
        let without = Set(FuzzTarget.allCases).subtracting(Self.targetsWithRegressions)
        #expect(without == [.runbook, .config, .controlRequest], "targets without regression inputs: \(without.map(\.rawValue).sorted())")
    }
}
