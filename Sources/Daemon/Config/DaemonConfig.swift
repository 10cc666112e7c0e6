import Foundation

/// cutoverd's configuration, as `config/cutoverd.yaml` documents it. Every key is optional and
/// has the default shown here; `DaemonConfigLoader` fills this from YAML with `line:column`
/// diagnostics.
public struct DaemonConfig: Sendable, Equatable {
    public struct Socket: Sendable, Equatable {
        /// Ignored when systemd passes the socket (LISTEN_FDS).
        public var path = "/run/cutover/cutoverd.sock"
        public var mode: UInt32 = 0o660
        /// The group the socket belongs to; nil keeps the daemon's own group.
        public var group: String? = "cutover-approvers"
        public init() {}
    }

    /// Who may use the control API. Root and the daemon's own user always may. Approving a step
    /// also needs the runbook's approval policy; these groups only let a peer talk to the daemon.
    public struct Access: Sendable, Equatable {
        /// May start, pause, resume, cancel, roll back, retry, decide, and read.
        public var operatorGroups = ["cutover-operators"]
        /// May approve and reject (as the runbook's policy allows) and read.
        public var approverGroups = ["cutover-approvers"]
        public init() {}
    }

    /// Where the daemon's own AWS credentials come from (runbook accounts are reached from these
    /// by AssumeRole).
    public enum CredentialSource: Sendable, Equatable {
        /// The SDKs' default chain: environment, web identity, container (ECS/Fargate), profile, IMDS (EC2).
        case chain
        case environment
        /// ECS/Fargate task role (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `FULL_URI`).
        case container
        /// EC2 instance profile (IMDSv2).
        case instanceMetadata
        case profile(String)
        /// A file of `AWS_ACCESS_KEY_ID=…`/`AWS_SECRET_ACCESS_KEY=…`/`AWS_SESSION_TOKEN=…` lines, e.g.
        /// `${CREDENTIALS_DIRECTORY}/aws` from systemd's `LoadCredential=`.
        case file(String)
    }

    public struct AWS: Sendable, Equatable {
        public var credentials: CredentialSource = .chain
        /// Every service at one URL (the simulator, moto, a proxy); nil: AWS's own endpoints.
        public var endpointURL: String?
        /// Service name (`s3`, `rds`, `sts`, `kms`, `ec2`, `sns`) → URL, over `endpointURL`.
        public var endpoints: [String: String] = [:]
        public init() {}
    }

    public struct Webhook: Sendable, Equatable {
        public var url: String
        /// Event kinds to send; empty: all (`approval-needed`, `decision-needed`, `step-failed`,
        /// `window-ending`, `run-finished`).
        public var events: [String] = []
        public var timeoutSeconds: Double = 10
        public init(url: String) { self.url = url }
    }

    public struct SNSTarget: Sendable, Equatable {
        public var topicArn: String
        /// The region of the topic; nil: taken from the ARN.
        public var region: String?
        public var events: [String] = []
        public init(topicArn: String) { self.topicArn = topicArn }
    }

    public struct Notifications: Sendable, Equatable {
        public var webhooks: [Webhook] = []
        public var sns: [SNSTarget] = []
        /// How long before the window's end the `window-ending` notification goes out.
        public var windowWarningSeconds: Double = 30 * 60
        public init() {}
    }

    public struct Metrics: Sendable, Equatable {
        /// Serve `/metrics` on the control socket.
        public var enabled = true
        public init() {}
    }

    public struct Audit: Sendable, Equatable {
        /// Seconds between signed checkpoints while runs are active.
        public var checkpointIntervalSeconds: Double = 60
        /// Ed25519 private key file (e.g. `${CREDENTIALS_DIRECTORY}/audit-key`); nil: generated
        /// on first start in the state directory.
        public var keyFile: String?
        public init() {}
    }

    /// Demos and process tests only: the daemon's clock runs `scale` times faster, from
    /// `origin` (simulated time) at real time `anchor` (unix seconds), exactly as
    /// `cutover-aws-sim --time-scale/--time-origin/--time-anchor`. Refused unless every endpoint
    /// is on loopback.
    public struct Clock: Sendable, Equatable {
        public var scale: Double = 1
        public var origin: Date?
        public var anchor: Double?
        public init() {}
    }

    public var socket = Socket()
    public var stateDirectory = "/var/lib/cutover"
    public var runbookDirectories = ["/etc/cutover/runbooks"]
    public var access = Access()
    public var aws = AWS()
    public var notifications = Notifications()
    public var metrics = Metrics()
    public var audit = Audit()
    public var clock = Clock()
    /// `cutoverctl rehearse`'s private daemon only: runs may be approved by whoever rehearses
    /// (`RunbookPlan.rehearsingApprovals`). Refused unless every endpoint is on loopback.
    public var rehearsal = false
    public var logLevel = "info"

    public init() {}
}
