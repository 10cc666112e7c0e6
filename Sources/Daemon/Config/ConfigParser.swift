import Foundation
import Runbook
import Yams

/// Turns the YAML tree of `cutoverd.yaml` into a `DaemonConfig`, starting from the defaults and
/// overriding what the file sets. Every problem is recorded in `reader`; a value with a problem
/// keeps its default so the remaining checks still run.
struct ConfigParser {
    var reader: ConfigReader

    static let topLevelKeys = [
        "socket", "stateDirectory", "runbookDirectories", "access", "aws", "notifications", "metrics", "audit",
        "clock", "rehearsal", "logLevel",
    ]

    init(file: String, environment: [String: String]) {
        reader = ConfigReader(file: file, environment: environment)
    }

    mutating func parse(_ root: Node) -> DaemonConfig {
        var config = DaemonConfig()
        guard let entries = reader.section(root, "the configuration", example: "'socket:' on its own line, then '  path: …'")
        else { return config }
        var clockKey: Node?
        var rehearsalKey: Node?
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "socket": parseSocket(value, into: &config.socket)
            case "stateDirectory":
                if let path = reader.path(value, "stateDirectory") { config.stateDirectory = path }
            case "runbookDirectories":
                if let items = reader.strings(value, "runbookDirectories") {
                    let paths = items.compactMap { reader.checkedPath($0.value, "runbookDirectories", at: $0.node) }
                    if paths.count == items.count { config.runbookDirectories = paths }
                }
            case "access": parseAccess(value, into: &config.access)
            case "aws": parseAWS(value, into: &config.aws)
            case "notifications": parseNotifications(value, into: &config.notifications)
            case "metrics": parseMetrics(value, into: &config.metrics)
            case "audit": parseAudit(value, into: &config.audit)
            case "clock":
                clockKey = entry.keyNode
                parseClock(value, into: &config.clock)
            case "rehearsal":
                if let flag = reader.bool(value, "rehearsal") {
                    config.rehearsal = flag
                    if flag { rehearsalKey = entry.keyNode }
                }
            case "logLevel":
                if let level = parseLogLevel(value) { config.logLevel = level }
            default: reader.unknownKey(entry, in: nil, allowed: Self.topLevelKeys)
            }
        }
        if let clockKey { checkClockIsSafe(config, at: clockKey) }
        if let rehearsalKey { checkRehearsalIsSafe(config, at: rehearsalKey) }
        return config
    }

    // MARK: Sections

    mutating func parseSocket(_ node: Node, into socket: inout DaemonConfig.Socket) {
        let keys = ["path", "mode", "group"]
        guard let entries = reader.section(node, "socket", example: "socket: { path: /run/cutover/cutoverd.sock }")
        else { return }
        for entry in entries {
            switch entry.key {
            case "path": if let path = reader.path(entry.value, "socket.path") { socket.path = path }
            case "mode": if let mode = parseMode(entry.value) { socket.mode = mode }
            case "group": if let group = reader.optionalText(entry.value, "socket.group") { socket.group = group }
            default: reader.unknownKey(entry, in: "socket", allowed: keys)
            }
        }
    }

    /// `"0660"` / `0660` / `0o660` (octal, as chmod takes it) or a plain integer such as `432`.
    mutating func parseMode(_ node: Node) -> UInt32? {
        guard let text = reader.text(node, "socket.mode") else { return nil }
        let mode: UInt32?
        var form = "decimal"
        if text.hasPrefix("0o") || text.hasPrefix("0O") {
            mode = UInt32(text.dropFirst(2), radix: 8)
            form = "octal"
        } else if text.hasPrefix("0") && text.count > 1 {
            mode = UInt32(text.dropFirst(), radix: 8)
            form = "octal"
        } else {
            mode = UInt32(text)
        }
        guard let mode else {
            reader.report(
                "bad-value", "'socket.mode' is not a file mode: '\(text)'",
                hint: "write the octal mode as chmod takes it, quoted: \"0660\"", at: node)
            return nil
        }
        guard mode <= 0o777 else {
            let hint =
                form == "decimal" && UInt32(text, radix: 8).map({ $0 <= 0o777 }) == true
                ? "a number without a leading 0 is decimal; for rw-rw---- write \"0\(text)\""
                : "permission bits only, at most \"0777\""
            reader.report("bad-value", "'socket.mode' \(text) is out of range", hint: hint, at: node)
            return nil
        }
        return mode
    }

    mutating func parseAccess(_ node: Node, into access: inout DaemonConfig.Access) {
        let keys = ["operatorGroups", "approverGroups"]
        guard let entries = reader.section(node, "access", example: "access: { operatorGroups: [cutover-operators] }")
        else { return }
        for entry in entries {
            switch entry.key {
            case "operatorGroups":
                if let groups = reader.strings(entry.value, "access.operatorGroups") { access.operatorGroups = groups.map(\.value) }
            case "approverGroups":
                if let groups = reader.strings(entry.value, "access.approverGroups") { access.approverGroups = groups.map(\.value) }
            default: reader.unknownKey(entry, in: "access", allowed: keys)
            }
        }
    }

    mutating func parseMetrics(_ node: Node, into metrics: inout DaemonConfig.Metrics) {
        guard let entries = reader.section(node, "metrics", example: "metrics: { enabled: true }") else { return }
        for entry in entries {
            switch entry.key {
            case "enabled": if let flag = reader.bool(entry.value, "metrics.enabled") { metrics.enabled = flag }
            default: reader.unknownKey(entry, in: "metrics", allowed: ["enabled"])
            }
        }
    }

    mutating func parseAudit(_ node: Node, into audit: inout DaemonConfig.Audit) {
        let keys = ["checkpointInterval", "keyFile"]
        guard let entries = reader.section(node, "audit", example: "audit: { checkpointInterval: 60s }") else { return }
        for entry in entries {
            switch entry.key {
            case "checkpointInterval":
                if let seconds = reader.duration(entry.value, "audit.checkpointInterval") {
                    audit.checkpointIntervalSeconds = seconds
                }
            case "keyFile":
                if ConfigReader.isNull(entry.value) {
                    audit.keyFile = nil
                } else if let path = reader.path(entry.value, "audit.keyFile") {
                    audit.keyFile = path
                }
            default: reader.unknownKey(entry, in: "audit", allowed: keys)
            }
        }
    }

    mutating func parseClock(_ node: Node, into clock: inout DaemonConfig.Clock) {
        let keys = ["scale", "origin", "anchor"]
        guard let entries = reader.section(node, "clock", example: "clock: { scale: 60 }") else { return }
        for entry in entries {
            switch entry.key {
            case "scale":
                guard let scale = reader.number(entry.value, "clock.scale") else { continue }
                if scale > 0 {
                    clock.scale = scale
                } else {
                    reader.report("bad-value", "'clock.scale' must be above 0, not \(scale)", hint: "1 is real time", at: entry.value)
                }
            case "origin":
                if ConfigReader.isNull(entry.value) {
                    clock.origin = nil
                } else if let text = reader.text(entry.value, "clock.origin") {
                    if let date = RunbookTimestamp.parse(text) {
                        clock.origin = date
                    } else {
                        reader.report(
                            "bad-value", "'clock.origin' is not a timestamp: '\(text)'",
                            hint: "write \(RunbookTimestamp.acceptedForms)", at: entry.value)
                    }
                }
            case "anchor":
                if ConfigReader.isNull(entry.value) {
                    clock.anchor = nil
                } else if let anchor = reader.number(entry.value, "clock.anchor") {
                    clock.anchor = anchor
                }
            default: reader.unknownKey(entry, in: "clock", allowed: keys)
            }
        }
    }

    mutating func parseLogLevel(_ node: Node) -> String? {
        guard let text = reader.text(node, "logLevel") else { return nil }
        if DaemonLog.Level(name: text) != nil { return text }
        let names = DaemonLog.Level.allCases.map(\.name)
        let hint =
            ConfigHints.nearest(to: text, in: names + ["error", "warn"]).map { "did you mean '\($0)'?" }
            ?? "use \(ConfigHints.list(names))"
        reader.report("bad-value", "'logLevel' cannot be '\(text)'", hint: hint, at: node)
        return nil
    }

    // MARK: Cross-checks

    /// A scaled or shifted clock makes forced waits, retry deadlines and the maintenance window
    /// pass faster than real time. Against real AWS that could re-create a bucket before its name
    /// is released or run past the real window, so the clock may only change when every AWS call
    /// goes to a simulator on this machine.
    mutating func checkClockIsSafe(_ config: DaemonConfig, at key: Node) {
        guard config.clock != DaemonConfig.Clock() else { return }
        let remote = Self.remoteEndpoints(config)
        guard !remote.isEmpty else { return }
        reader.report(
            "clock-needs-loopback",
            "'clock' changes the daemon's clock, which is only allowed when every AWS endpoint is on this machine "
                + "(127.0.0.1, ::1 or localhost); not so: \(remote.joined(separator: "; "))",
            hint: "a fast clock shortens forced waits, retry deadlines and the window against real resources; "
                + "use it only with the simulator or moto, or remove 'clock'",
            at: key)
    }

    /// `rehearsal: true` lets anyone who may operate approve every gate: never against real accounts.
    mutating func checkRehearsalIsSafe(_ config: DaemonConfig, at key: Node) {
        let remote = Self.remoteEndpoints(config)
        guard !remote.isEmpty else { return }
        reader.report(
            "rehearsal-needs-loopback",
            "'rehearsal: true' lets the operator answer every approval, which is only allowed when every AWS endpoint is on this "
                + "machine (127.0.0.1, ::1 or localhost); not so: \(remote.joined(separator: "; "))",
            hint: "cutoverctl rehearse writes this setting for its private daemon against the simulator; remove it here",
            at: key)
    }

    /// The AWS endpoints of `config` that are not on this machine.
    static func remoteEndpoints(_ config: DaemonConfig) -> [String] {
        var remote: [String] = []
        if let url = config.aws.endpointURL {
            if !ConfigURL.isLoopback(url) { remote.append("aws.endpointURL (\(url))") }
        } else {
            let unset = DaemonConfig.AWS.serviceNames.filter { config.aws.endpoints[$0] == nil }
            if !unset.isEmpty { remote.append("AWS's own endpoints for \(unset.joined(separator: ", ")) (aws.endpointURL is not set)") }
        }
        for (service, url) in config.aws.endpoints.sorted(by: { $0.key < $1.key }) where !ConfigURL.isLoopback(url) {
            remote.append("aws.endpoints.\(service) (\(url))")
        }
        return remote
    }
}
