/// The run-level alarm guard (`guard: { alarms: [...], account: NAME }`): before each point of
/// no return and before each step starts, the run reads these CloudWatch alarms in that account
/// and pauses when one is in ALARM — as SSM Automation's `AlarmConfiguration` stops an
/// automation. docs/ENGINE.md ("The alarm guard") says how it meets scheduling.
public struct RunGuardSpec: Sendable, Hashable, Codable {
    /// CloudWatch alarm names (1–100: DescribeAlarms takes at most 100).
    public var alarms: [String]
    /// The runbook account the alarms are in.
    public var account: String

    public init(alarms: [String], account: String) {
        self.alarms = alarms
        self.account = account
    }
}
