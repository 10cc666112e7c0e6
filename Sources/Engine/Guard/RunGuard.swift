import Foundation
import Runbook

/// Reads the alarms of a run's guard (`guard:` in the runbook). The engine never talks to AWS:
/// cutoverd's step library supplies a CloudWatch reader (`StepRegistry.runGuard`); tests supply
/// their own. A reader never throws: a failure to read is a `GuardReading` with a `problem`,
/// and the engine treats it as an alarm (it fails closed).
public protocol RunGuard: Sendable {
    func read(_ spec: RunGuardSpec) async -> GuardReading
}

/// What one read of the guard's alarms found, as journaled (`guard.checked`).
public struct GuardReading: Sendable, Equatable, Codable {
    public struct Alarm: Sendable, Equatable, Codable {
        public var name: String
        /// `OK`, `ALARM`, `INSUFFICIENT_DATA` — or `MISSING` when CloudWatch does not know the name.
        public var state: String
        public var reason: String?
        /// When the alarm entered its state, as CloudWatch says (`StateUpdatedTimestamp`): an
        /// acknowledged alarm that goes back into ALARM has a new one and pauses the run again.
        public var since: String?

        public init(name: String, state: String, reason: String? = nil, since: String? = nil) {
            self.name = name
            self.state = state
            self.reason = reason
            self.since = since
        }

        /// The identity of one stay in ALARM (an operator's resume acknowledges exactly that).
        public var episode: String { "\(name)@\(since ?? "")" }
    }

    /// The runbook account and, when known, its ID.
    public var account: String
    public var alarms: [Alarm]
    /// Why the alarms could not be read (an AWS error with its request ID); nil when they were.
    public var problem: String?
    public var requestId: String?

    public init(account: String, alarms: [Alarm], problem: String? = nil, requestId: String? = nil) {
        self.account = account
        self.alarms = alarms
        self.problem = problem
        self.requestId = requestId
    }

    /// Alarms in ALARM, and names CloudWatch did not return (a misspelt alarm guards nothing).
    public var firing: [Alarm] { alarms.filter { $0.state == "ALARM" || $0.state == "MISSING" } }
}

/// `guard.checked`: the guard was read before `before` started.
public struct GuardChecked: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Equatable, Codable {
        /// Nothing in ALARM (or only alarms an operator acknowledged by resuming).
        case clear
        /// An alarm is in ALARM (or missing): the run pauses.
        case alarm
        /// The alarms could not be read: the run pauses.
        case unreadable
    }

    /// The primitives about to start.
    public var before: [String]
    /// Whether one of them is a point of no return.
    public var pointOfNoReturn: Bool
    public var reading: GuardReading
    public var verdict: Verdict
    /// Alarm episodes that did not pause the run because an operator resumed after them.
    public var acknowledged: [String]

    public init(before: [String], pointOfNoReturn: Bool, reading: GuardReading, verdict: Verdict, acknowledged: [String] = []) {
        self.before = before
        self.pointOfNoReturn = pointOfNoReturn
        self.reading = reading
        self.verdict = verdict
        self.acknowledged = acknowledged
    }

    /// The pause reason an operator reads in `status`: which alarms, why, where, what to do.
    public var pauseReason: String {
        let place = "before \(before.joined(separator: ", "))" + (pointOfNoReturn ? " (a point of no return)" : "")
        if verdict == .unreadable {
            return "guard: the alarms in account \(reading.account) could not be read \(place): \(reading.problem ?? "unknown error"). "
                + "Check the account's CloudWatch access, then resume (the guard is read again first)"
        }
        let alarms = reading.firing.map { alarm in
            alarm.state == "MISSING"
                ? "\(alarm.name) does not exist in account \(reading.account) (check the name in guard.alarms)"
                : "\(alarm.name) is in ALARM in account \(reading.account)" + (alarm.reason.map { ": \($0)" } ?? "")
                    + (alarm.since.map { " (since \($0))" } ?? "")
        }
        return "guard: " + alarms.joined(separator: "; ") + " — paused \(place). Look at the alarm; resume to go on "
            + "(a resume acknowledges these alarms; an alarm that fires anew pauses the run again)"
    }
}

extension GuardChecked {
    /// One line for `events`, `status --watch` and the audit timeline: every alarm and its state.
    public static func summary(_ e: GuardChecked) -> String {
        let states = e.reading.alarms.map { "\($0.name)=\($0.state)" }.joined(separator: ", ")
        var text = "guard checked before \(e.before.joined(separator: ", ")) in \(e.reading.account): \(e.verdict.rawValue)"
        if !states.isEmpty { text += " (\(states))" }
        if let problem = e.reading.problem { text += ": \(problem)" }
        if !e.acknowledged.isEmpty { text += "; acknowledged by resume: \(e.acknowledged.joined(separator: ", "))" }
        if let requestId = e.reading.requestId { text += ", request ID \(requestId)" }
        return text
    }
}
