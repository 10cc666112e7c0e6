import AWSServices
import Engine
import Foundation
import Runbook
import Steps
import TestSupport
import Testing

/// Undo never overwrites a change someone else made after the step: if the secret, the
/// parameter or the record was changed again between the switch-over and the rollback, the
/// rollback pauses on that step with a code that says so, and the other person's value stays.
/// Against moto, one step type per case.
@Suite struct SettingsAndDNSConflictTests {
    enum Case: String, CaseIterable, Sendable {
        case secret, parameter, record
    }

    @Test(arguments: Case.allCases)
    func undoStopsWhenSomeoneChangedTheValueSince(_ which: Case) async throws {
        let world = try SettingsMotoWorld()
        let include: Set<String> =
            switch which {
            case .secret: ["set-secret"]
            case .parameter: ["set-url"]
            case .record: ["switch-dns"]
            }
        let seeded = try await world.seed(existingRecord: SettingsAndDNSMotoTests.oldRecord(world), include: include)
        let someoneElses = Route53RecordSet(name: "admin.\(world.domain)", type: "A", ttl: 60, values: ["198.51.100.7"])
        let run = try await world.start(world.runbook(zone: seeded.zone, include: include))
        let stop = await world.fixture.driver.drive(run) { run in
            guard await run.snapshot().steps.contains(where: { $0.id == "look" && $0.status == .awaitingApproval }),
                await run.snapshot().status != .rollingBack
            else { return false }
            // Someone else changes the value after the switch-over, before the rollback.
            do {
                switch which {
                case .secret:
                    _ = try await world.secrets.putSecretValue(
                        world.secretId, string: #"{"host":"someone-else"}"#, token: String(repeating: "e", count: 40))
                case .parameter:
                    _ = try await world.ssm.putParameter(world.secureParameter, value: "someone-else", type: .secureString)
                case .record:
                    _ = try await world.route53B().changeRecordSet(zone: seeded.zone, action: .upsert, someoneElses)
                }
                try await run.rollback(by: TestPeople.alice)
                return true
            } catch {
                Issue.record("\(which): \(error)")
                return false
            }
        }
        #expect(stop == .waitingForOperator, "\(which): \(stop)")
        let (step, code): (String, String) =
            switch which {
            case .secret: ("set-secret", "SecretChangedSinceWrite")
            case .parameter: ("set-url", "ParameterChangedSinceWrite")
            case .record: ("switch-dns.upsert", "RecordChangedSinceWrite")
            }
        let snapshot = await run.snapshot()
        #expect(snapshot.status == .paused || snapshot.status == .rollingBack, "\(which): \(snapshot.status)")
        let failed = snapshot.steps.first { $0.id == step }
        #expect(failed?.lastError?.code == code, "\(which): \(String(describing: failed?.lastError))")
        #expect(failed?.lastError?.message.contains("someone changed it since") == true)
        // The other person's value is still there.
        switch which {
        case .secret:
            #expect(try await world.secrets.getSecretValue(world.secretId).string == #"{"host":"someone-else"}"#)
        case .parameter:
            #expect(try await world.ssm.parameterHistory(world.secureParameter, withDecryption: true).last?.value == "someone-else")
        case .record:
            let record = try await world.route53B().recordSet(zone: seeded.zone, name: "admin.\(world.domain)", type: "A")
            #expect(record?.matches(someoneElses) == true)
        }
    }
}
