import Foundation
import Journal

extension RunEvent {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(EventTime.format(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = EventTime.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad time \(text)"))
            }
            return date
        }
        return decoder
    }()

    /// The payload as the journal stores it: JSON with sorted keys and millisecond UTC times.
    public func payload() throws -> String {
        let data: Data
        switch self {
        case let .runCreated(e): data = try Self.encoder.encode(e)
        case let .runStatusChanged(e): data = try Self.encoder.encode(e)
        case let .attemptStarted(e): data = try Self.encoder.encode(e)
        case let .attemptSucceeded(e): data = try Self.encoder.encode(e)
        case let .attemptFailed(e): data = try Self.encoder.encode(e)
        case let .pollPending(e): data = try Self.encoder.encode(e)
        case let .attemptReconciled(e): data = try Self.encoder.encode(e)
        case let .awsCall(e): data = try Self.encoder.encode(e)
        case let .timerSet(e): data = try Self.encoder.encode(e)
        case let .approvalRequested(e): data = try Self.encoder.encode(e)
        case let .approvalDecided(e): data = try Self.encoder.encode(e)
        case let .approvalSkipped(e): data = try Self.encoder.encode(e)
        case let .decisionRequested(e): data = try Self.encoder.encode(e)
        case let .decisionMade(e): data = try Self.encoder.encode(e)
        case let .operatorAction(e): data = try Self.encoder.encode(e)
        case let .windowOverrun(e): data = try Self.encoder.encode(e)
        case let .guardChecked(e): data = try Self.encoder.encode(e)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a journaled event back. Unknown kinds (written by a newer version, or daemon-level
    /// records) give nil rather than an error, so a fold skips what it does not understand.
    public init?(kind: String, payload: String) throws {
        let data = Data(payload.utf8)
        let d = Self.decoder
        switch kind {
        case "run.created": self = .runCreated(try d.decode(RunCreated.self, from: data))
        case "run.status": self = .runStatusChanged(try d.decode(RunStatusChanged.self, from: data))
        case "attempt.started": self = .attemptStarted(try d.decode(AttemptStarted.self, from: data))
        case "attempt.succeeded": self = .attemptSucceeded(try d.decode(AttemptSucceeded.self, from: data))
        case "attempt.failed": self = .attemptFailed(try d.decode(AttemptFailed.self, from: data))
        case "attempt.poll-pending": self = .pollPending(try d.decode(PollPending.self, from: data))
        case "attempt.reconciled": self = .attemptReconciled(try d.decode(AttemptReconciled.self, from: data))
        case "aws.call": self = .awsCall(try d.decode(AWSCallJournaled.self, from: data))
        case "timer.set": self = .timerSet(try d.decode(TimerSet.self, from: data))
        case "approval.requested": self = .approvalRequested(try d.decode(ApprovalRequested.self, from: data))
        case "approval.decided": self = .approvalDecided(try d.decode(ApprovalDecided.self, from: data))
        case "approval.skipped": self = .approvalSkipped(try d.decode(ApprovalSkipped.self, from: data))
        case "decision.requested": self = .decisionRequested(try d.decode(DecisionRequested.self, from: data))
        case "decision.made": self = .decisionMade(try d.decode(DecisionMade.self, from: data))
        case "operator.action": self = .operatorAction(try d.decode(OperatorActionTaken.self, from: data))
        case "window.overrun": self = .windowOverrun(try d.decode(WindowOverrun.self, from: data))
        case "guard.checked": self = .guardChecked(try d.decode(GuardChecked.self, from: data))
        default: return nil
        }
    }

    /// Reads a journal record back as an event.
    public init?(_ record: JournalRecord) throws {
        try self.init(kind: record.kind, payload: record.payload)
    }
}

extension JournalRecord {
    /// A `run.status` record with a terminal status: nothing of the run follows it.
    public var endsRun: Bool {
        guard kind == "run.status", case let .runStatusChanged(change)? = try? RunEvent(self) else { return false }
        return change.status.isTerminal
    }
}

/// Times in events: ISO-8601 UTC with milliseconds, the journal's own precision.
enum EventTime {
    static func format(_ date: Date) -> String {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(totalMillis / 1000)
        let millis = Int(totalMillis % 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }

    static func parse(_ text: String) -> Date? {
        let strategy = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? strategy.parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
