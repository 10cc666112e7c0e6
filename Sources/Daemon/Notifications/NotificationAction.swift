/// Who has to act on a notification and the `cutoverctl` command that does it, so the person paged
/// at 3 a.m. can act from the message alone.
public struct NotificationAction: Sendable, Equatable {
    /// "a member of cutover-approvers"; nil when nobody needs to act (a run that finished).
    public var who: String?
    /// Commands to paste, most likely first: `cutoverctl approve r-42 delete-source`.
    public var commands: [String]

    public init(who: String?, commands: [String]) {
        self.who = who
        self.commands = commands
    }
}

extension CutoverNotification {
    /// The action this notification asks for, with the groups from the daemon's `access` settings
    /// (a runbook's own approvers, passed in `fields["approvers"]`, take precedence).
    public func action(access: DaemonConfig.Access) -> NotificationAction {
        let run = Self.shellWord(runId)
        let stepWord = step.map(Self.shellWord) ?? "STEP"
        let operators = Self.members(of: access.operatorGroups, fallback: "an operator")
        switch kind {
        case .approvalNeeded:
            let who = fields["approvers"] ?? Self.members(of: access.approverGroups, fallback: "an approver")
            return NotificationAction(
                who: who, commands: ["cutoverctl approve \(run) \(stepWord)", "cutoverctl reject \(run) \(stepWord)"])
        case .decisionNeeded:
            let options = (fields["options"] ?? "")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let commands =
                options.isEmpty
                ? ["cutoverctl decide \(run) \(stepWord) OPTION"]
                : options.map { "cutoverctl decide \(run) \(stepWord) \(Self.shellWord($0))" }
            return NotificationAction(who: operators, commands: commands)
        case .stepFailed:
            return NotificationAction(
                who: operators,
                commands: ["cutoverctl status \(run)", "cutoverctl retry \(run) \(stepWord)", "cutoverctl rollback \(run)"])
        case .windowEnding:
            return NotificationAction(who: operators, commands: ["cutoverctl status \(run)"])
        case .runHalted:
            return NotificationAction(who: operators, commands: ["cutoverctl status \(run)", "cutoverctl resume \(run)"])
        case .runFinished:
            return NotificationAction(who: nil, commands: ["cutoverctl audit show \(run)"])
        }
    }

    static func members(of groups: [String], fallback: String) -> String {
        guard !groups.isEmpty else { return fallback }
        return "a member of " + groups.joined(separator: " or ")
    }

    /// `word` as one shell word: as is when it is plainly safe, else single-quoted.
    static func shellWord(_ word: String) -> String {
        let safe =
            !word.isEmpty
            && word.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.:/@+=".unicodeScalars.contains($0)
            }
        return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
