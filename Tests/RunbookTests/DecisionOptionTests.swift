import Foundation
import Runbook
import Testing

/// Decision options are an enum the engine switches on, but plans, journals and the control API
/// keep carrying their text: a journal written before the enum must read back to the same options.
@Suite struct DecisionOptionTests {
    static let known: [(DecisionOption, String)] = [
        (.retry, "retry"), (.rollback, "rollback"), (.pause, "pause"), (.cancel, "cancel"), (.proceed, "proceed"),
        (.markDone, "mark-done"), (.keepWaiting, "keep-waiting"), (.deleteLastCopy, "delete-last-copy"), (.slowRetry, "slow-retry"),
    ]

    @Test func everyKnownOptionIsItsTextAndBack() {
        for (option, text) in Self.known {
            #expect(option.rawValue == text)
            #expect(DecisionOption(rawValue: text) == option, "`\(text)` must read as its own case, not .other")
        }
    }

    @Test func anOptionAStepDefinesKeepsItsText() throws {
        let option = DecisionOption(rawValue: "retry-in-other-region")
        #expect(option == .other("retry-in-other-region"))
        let data = try JSONEncoder().encode([option])
        #expect(String(decoding: data, as: UTF8.self) == #"["retry-in-other-region"]"#)
        #expect(try JSONDecoder().decode([DecisionOption].self, from: data) == [option])
    }

    /// Options as values and as `decisionRetries` keys encode as the text they were before, so a
    /// plan hashes the same and an older journal decodes.
    @Test func optionsAndRetryKeysEncodeAsPlainText() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let options: [DecisionOption] = [.retry, .deleteLastCopy, .rollback]
        #expect(String(decoding: try encoder.encode(options), as: UTF8.self) == #"["retry","delete-last-copy","rollback"]"#)
        let keyed: [DecisionOption: Int] = [.slowRetry: 1, .markDone: 2]
        #expect(String(decoding: try encoder.encode(keyed), as: UTF8.self) == #"{"mark-done":2,"slow-retry":1}"#)
        let older = Data(#"{"slow-retry":1,"keep-waiting":3}"#.utf8)
        #expect(try JSONDecoder().decode([DecisionOption: Int].self, from: older) == [.slowRetry: 1, .keepWaiting: 3])
    }
}
