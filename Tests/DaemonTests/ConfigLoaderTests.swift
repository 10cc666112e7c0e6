import Daemon
import Foundation
import TestSupport
import Testing

/// `DaemonConfigLoader`: the documented file equals the defaults, and every kind of mistake is
/// reported at its line and column, all at once.
@Suite struct ConfigLoaderTests {
    let loader = DaemonConfigLoader(environment: [
        "CREDENTIALS_DIRECTORY": "/run/credentials/cutoverd.service",
        "STATE_DIRECTORY": "/var/lib/cutover",
    ])

    func load(_ yaml: String) throws(ConfigDiagnostics) -> DaemonConfig {
        try loader.load(text: yaml, file: "cutoverd.yaml")
    }

    func problems(_ yaml: String) -> [ConfigDiagnostic] {
        do {
            _ = try load(yaml)
            Issue.record("expected the configuration to be refused:\n\(yaml)")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test func documentedFileEqualsBuiltInDefaults() throws {
        let path = BuiltProducts.packageRoot.appendingPathComponent("config/cutoverd.yaml").path
        let config = try DaemonConfigLoader(environment: [:]).load(file: path)
        #expect(config == DaemonConfig())
    }

    @Test func documentedFileNamesEveryKey() throws {
        let path = BuiltProducts.packageRoot.appendingPathComponent("config/cutoverd.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let keys = [
            "socket:", "path:", "mode:", "group:", "stateDirectory:", "runbookDirectories:", "access:", "operatorGroups:",
            "approverGroups:", "aws:", "credentials:", "endpointURL:", "endpoints:", "notifications:", "webhooks:", "url:",
            "events:", "timeout:", "sns:", "topicArn:", "region:", "windowWarning:", "metrics:", "enabled:", "audit:",
            "checkpointInterval:", "keyFile:", "clock:", "scale:", "origin:", "anchor:", "logLevel:",
        ]
        for key in keys { #expect(text.contains(key), "config/cutoverd.yaml does not document \(key)") }
    }

    @Test func emptyFileMeansDefaults() throws {
        #expect(try load("") == DaemonConfig())
        #expect(try load("# nothing but a comment\n") == DaemonConfig())
        #expect(try load("metrics:\n") == DaemonConfig())
    }

    @Test func unknownKeyNamesFileLineColumnAndTheKeyMeant() {
        let found = problems("logLevel: info\nsokcet:\n  path: /run/x.sock\n")
        #expect(found.map(\.description) == ["cutoverd.yaml:2:1: error: unknown key 'sokcet' (did you mean 'socket'?)"])
        #expect(found.first?.code == "unknown-key")
    }

    @Test func unknownNestedKeyNamesItsSection() {
        let found = problems("socket:\n  paht: /run/x.sock\n")
        #expect(found.map(\.description) == ["cutoverd.yaml:2:3: error: unknown key 'paht' in 'socket' (did you mean 'path'?)"])
    }

    @Test func everyProblemIsReportedAtOnceOnePerLine() {
        let yaml = """
            socket:
              mode: "0999"
              grop: x
            logLevel: loud
            audit:
              checkpointInterval: 60
            aws:
              credentials: instance_metadata
              endpointURL: ftp://example.com
            metrics:
              enabled: yes please
            """
        do {
            _ = try load(yaml)
            Issue.record("accepted")
        } catch {
            #expect(
                error.diagnostics.map(\.code) == [
                    "bad-value", "unknown-key", "bad-value", "bad-duration", "bad-value", "bad-url", "wrong-type",
                ])
            #expect(error.diagnostics.map(\.location.line) == [2, 3, 4, 6, 8, 9, 11])
            let lines = error.description.split(separator: "\n")
            #expect(lines.count == 7)
            #expect(lines.allSatisfy { $0.hasPrefix("cutoverd.yaml:") && $0.contains(": error: ") })
            #expect(
                error.description.contains(
                    "cutoverd.yaml:8:16: error: 'aws.credentials' cannot be 'instance_metadata' (did you mean 'instance-metadata'?"))
            #expect(
                error.description.contains(
                    "cutoverd.yaml:6:23: error: 'audit.checkpointInterval' is not a duration: '60' (add a unit, e.g. '60s' for seconds)"))
        }
    }

    @Test func wrongTypesSayWhatWasFound() {
        let found = problems("socket: /run/x.sock\nruntimeDirectories: 3\naccess:\n  operatorGroups: { a: b }\nstateDirectory: [a]\n")
        #expect(found.map(\.code) == ["wrong-type", "unknown-key", "wrong-type", "wrong-type"])
        #expect(found[0].message == "'socket' must be a mapping of 'key: value' pairs, not '/run/x.sock'")
        #expect(found[2].message == "'access.operatorGroups' must be a list, not a mapping")
        #expect(found[3].message == "'stateDirectory' must be a single value, not a list")
    }

    @Test func socketModeIsOctalTextOrAnInteger() throws {
        for form in ["\"0660\"", "0660", "'0o660'", "432"] {
            #expect(try load("socket:\n  mode: \(form)\n").socket.mode == 0o660, "mode: \(form)")
        }
        #expect(try load("socket: { mode: \"0600\" }").socket.mode == 0o600)
        let decimal = problems("socket:\n  mode: 660\n")
        #expect(
            decimal.map(\.description) == [
                "cutoverd.yaml:2:9: error: 'socket.mode' 660 is out of range (a number without a leading 0 is decimal; for rw-rw---- write \"0660\")"
            ])
        #expect(problems("socket: { mode: \"0999\" }").first?.code == "bad-value")
        #expect(problems("socket: { mode: rw-rw---- }").first?.code == "bad-value")
    }

    @Test func durationsUseRunbookUnits() throws {
        let config = try load(
            "notifications:\n  windowWarning: 1h\n  webhooks:\n    - url: https://hooks.example.com/x\n      timeout: 90s\naudit:\n  checkpointInterval: 30m\n"
        )
        #expect(config.notifications.windowWarningSeconds == 3600)
        #expect(config.notifications.webhooks.first?.timeoutSeconds == 90)
        #expect(config.audit.checkpointIntervalSeconds == 1800)
        #expect(problems("audit: { checkpointInterval: 0s }").first?.message == "'audit.checkpointInterval' must be longer than 0s")
        #expect(problems("audit: { checkpointInterval: 1.5h }").first?.code == "bad-duration")
    }

    @Test func urlsMustBeHTTPWithAHost() throws {
        #expect(try load("aws: { endpointURL: \"http://127.0.0.1:4566\" }").aws.endpointURL == "http://127.0.0.1:4566")
        for bad in ["ftp://example.com", "http://", "example.com", "https:///path"] {
            #expect(problems("aws: { endpointURL: \"\(bad)\" }").first?.code == "bad-url", "\(bad)")
        }
        let endpoints = try load("aws:\n  endpoints:\n    s3: http://127.0.0.1:9000\n    sts: https://sts.eu-west-1.amazonaws.com\n")
        #expect(endpoints.aws.endpoints == ["s3": "http://127.0.0.1:9000", "sts": "https://sts.eu-west-1.amazonaws.com"])
        #expect(
            problems("aws:\n  endpoints:\n    rsd: http://127.0.0.1:9000\n").map(\.description) == [
                "cutoverd.yaml:3:5: error: unknown key 'rsd' in 'aws.endpoints' (did you mean 'rds'?)"
            ])
    }

    @Test func aBadWebhookURLIsNeverEchoed() {
        let secret = "hooks.slack.com/services/T000/B000/SECRET"
        let found = problems("notifications:\n  webhooks:\n    - url: \"ftp://\(secret)\"\n")
        #expect(found.map(\.code) == ["bad-url"])
        #expect(!found.map(\.description).joined().contains("SECRET"))
        #expect(found.first?.location.line == 3)
    }

    @Test func logLevelNamesAreDaemonLogs() throws {
        #expect(try load("logLevel: debug").logLevel == "debug")
        #expect(try load("logLevel: warning").logLevel == "warning")
        #expect(
            problems("logLevel: debgu").map(\.description) == [
                "cutoverd.yaml:1:11: error: 'logLevel' cannot be 'debgu' (did you mean 'debug'?)"
            ])
    }

    @Test func everyCredentialSourceForm() throws {
        let cases: [(String, DaemonConfig.CredentialSource)] = [
            ("chain", .chain), ("environment", .environment), ("container", .container),
            ("instance-metadata", .instanceMetadata), ("profile:ops", .profile("ops")),
            ("file:/etc/cutover/aws", .file("/etc/cutover/aws")),
            ("file:${CREDENTIALS_DIRECTORY}/aws", .file("/run/credentials/cutoverd.service/aws")),
        ]
        for (text, expected) in cases {
            #expect(try load("aws:\n  credentials: \"\(text)\"\n").aws.credentials == expected, "\(text)")
        }
        #expect(problems("aws: { credentials: \"profile:\" }").first?.code == "bad-value")
        #expect(
            problems("aws: { credentials: \"file:aws.env\" }").first?.message
                == "'aws.credentials file' must be an absolute path, not 'aws.env'")
        #expect(problems("aws: { credentials: profil }").first?.hint?.hasPrefix("did you mean 'profile:…'?") == true)
        #expect(problems("aws: { credentials: keys }").first?.hint?.hasPrefix("use 'chain', 'environment'") == true)
    }

    @Test func systemdDirectoriesAreExpandedAndAnUnsetOneIsNamed() throws {
        let config = try load(
            "stateDirectory: ${STATE_DIRECTORY}\naudit:\n  keyFile: ${CREDENTIALS_DIRECTORY}/audit-key\n")
        #expect(config.stateDirectory == "/var/lib/cutover")
        #expect(config.audit.keyFile == "/run/credentials/cutoverd.service/audit-key")

        let unset = problems("socket:\n  path: ${RUNTIME_DIRECTORY}/cutoverd.sock\n")
        #expect(unset.map(\.code) == ["unset-variable"])
        #expect(
            unset.first?.description.hasPrefix("cutoverd.yaml:2:9: error: 'socket.path' uses ${RUNTIME_DIRECTORY}, which is not set")
                == true)
        #expect(unset.first?.hint?.contains("RuntimeDirectory=") == true)

        let unknown = problems("stateDirectory: ${HOME}/cutover\n")
        #expect(unknown.map(\.code) == ["unknown-variable"])
        #expect(unknown.first?.message.contains("${HOME}") == true)

        // systemd joins several directories with ':'; the first is the service's own.
        let joined = DaemonConfigLoader(environment: ["STATE_DIRECTORY": "/var/lib/cutover:/var/lib/other"])
        #expect(try joined.load(text: "stateDirectory: ${STATE_DIRECTORY}/x", file: "c.yaml").stateDirectory == "/var/lib/cutover/x")
    }

    @Test func pathsMustBeAbsolute() {
        let found = problems("stateDirectory: var/lib/cutover\nrunbookDirectories: [/etc/cutover/runbooks, runbooks]\n")
        #expect(found.map(\.code) == ["bad-value", "bad-value"])
        #expect(found.map(\.location.line) == [1, 2])
        #expect(found[1].location.column == 45)
    }

    @Test func clockIsRefusedUnlessEveryEndpointIsLoopback() throws {
        let refused = problems("clock:\n  scale: 60\n")
        #expect(refused.map(\.code) == ["clock-needs-loopback"])
        #expect(refused.first?.location.line == 1)
        #expect(refused.first?.message.contains("aws.endpointURL is not set") == true)
        #expect(refused.first?.hint?.contains("forced waits") == true)

        let remote = problems(
            "aws:\n  endpointURL: http://127.0.0.1:4566\n  endpoints: { s3: \"https://s3.eu-west-1.amazonaws.com\" }\nclock: { scale: 60 }\n"
        )
        #expect(remote.map(\.code) == ["clock-needs-loopback"])
        #expect(remote.first?.message.contains("aws.endpoints.s3 (https://s3.eu-west-1.amazonaws.com)") == true)

        for host in ["127.0.0.1:4566", "[::1]:4566", "localhost:4566"] {
            let config = try load(
                "aws: { endpointURL: \"http://\(host)\" }\nclock:\n  scale: 60\n  origin: 2026-12-01T01:00:00+09:00\n  anchor: 1700000000\n"
            )
            #expect(config.clock.scale == 60)
            #expect(config.clock.anchor == 1_700_000_000)
            #expect(config.clock.origin == Date(timeIntervalSince1970: 1_796_054_400))
        }
        // The documented section, left at real time, is harmless anywhere.
        #expect(try load("clock: { scale: 1, origin: null, anchor: null }") == DaemonConfig())
    }

    /// `rehearsal: true` lets the operator answer every gate: only against endpoints on this machine.
    @Test func rehearsalIsRefusedUnlessEveryEndpointIsLoopback() throws {
        let refused = problems("rehearsal: true\n")
        #expect(refused.map(\.code) == ["rehearsal-needs-loopback"])
        #expect(refused.first?.location.line == 1)
        #expect(refused.first?.message.contains("aws.endpointURL is not set") == true)
        let remote = problems("aws: { endpointURL: \"https://example.com\" }\nrehearsal: true\n")
        #expect(remote.map(\.code) == ["rehearsal-needs-loopback"])
        #expect(try load("aws: { endpointURL: \"http://127.0.0.1:4566\" }\nrehearsal: true\n").rehearsal)
        #expect(try load("rehearsal: false\n") == DaemonConfig())
    }

    @Test func notificationTargetsAndEvents() throws {
        let config = try load(
            """
            notifications:
              webhooks:
                - url: https://hooks.example.com/T/B/X
                  events: [approval-needed, step-failed]
                - url: http://127.0.0.1:8080/hook
              sns:
                - topicArn: arn:aws:sns:eu-west-1:111111111111:cutover
                  region: eu-west-1
                  events: run-finished
            """)
        var first = DaemonConfig.Webhook(url: "https://hooks.example.com/T/B/X")
        first.events = ["approval-needed", "step-failed"]
        #expect(config.notifications.webhooks == [first, DaemonConfig.Webhook(url: "http://127.0.0.1:8080/hook")])
        var topic = DaemonConfig.SNSTarget(topicArn: "arn:aws:sns:eu-west-1:111111111111:cutover")
        topic.region = "eu-west-1"
        topic.events = ["run-finished"]
        #expect(config.notifications.sns == [topic])

        let bad = problems(
            "notifications:\n  webhooks:\n    - events: [aproval-needed]\n  sns:\n    - topicArn: arn:aws:sqs:eu-west-1:111111111111:q\n")
        #expect(bad.map(\.code) == ["missing-key", "bad-value", "bad-value"])
        #expect(bad[1].hint == "did you mean 'approval-needed'?")
        #expect(bad[2].message.contains("is not an SNS topic ARN"))
    }

    @Test func everyKeySet() throws {
        let config = try load(
            """
            socket: { path: /run/c/c.sock, mode: "0600", group: null }
            stateDirectory: /srv/cutover
            runbookDirectories: [/srv/runbooks, /etc/cutover/runbooks]
            access: { operatorGroups: [ops], approverGroups: [leads, sre] }
            aws: { credentials: "profile:cutover" }
            metrics: { enabled: false }
            audit: { checkpointInterval: 5m, keyFile: /etc/cutover/audit.key }
            logLevel: notice
            """)
        var expected = DaemonConfig()
        expected.socket.path = "/run/c/c.sock"
        expected.socket.mode = 0o600
        expected.socket.group = nil
        expected.stateDirectory = "/srv/cutover"
        expected.runbookDirectories = ["/srv/runbooks", "/etc/cutover/runbooks"]
        expected.access.operatorGroups = ["ops"]
        expected.access.approverGroups = ["leads", "sre"]
        expected.aws.credentials = .profile("cutover")
        expected.metrics.enabled = false
        expected.audit.checkpointIntervalSeconds = 300
        expected.audit.keyFile = "/etc/cutover/audit.key"
        expected.logLevel = "notice"
        #expect(config == expected)
    }

    @Test func yamlSyntaxAndDuplicateKeysAreLocated() {
        let syntax = problems("socket:\n  path: /run/x\n   mode: \"0660\"\n")
        #expect(syntax.map(\.code) == ["yaml-syntax"])
        #expect(syntax.first?.location.line == 3)
        let duplicate = problems("logLevel: info\nlogLevel: debug\n")
        #expect(duplicate.map(\.code) == ["duplicate-key"])
        #expect(duplicate.first?.message.contains("'logLevel'") == true)
    }

    @Test func aMissingFileIsAnErrorUnlessOptional() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cutoverd-\(UUID().uuidString).yaml").path
        #expect(try loader.load(file: path, optional: true) == DaemonConfig())
        do {
            _ = try loader.load(file: path)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.diagnostics.map(\.code) == ["missing-file"])
            #expect(error.description.hasPrefix("\(path):1:1: error: the configuration file does not exist"))
        }
    }

    @Test func aFileIsNamedAsGiven() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cutoverd.yaml").path
        try "metrics:\n  enabeld: true\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try loader.load(file: path, optional: true)
            Issue.record("accepted")
        } catch {
            #expect(error.description == "\(path):2:3: error: unknown key 'enabeld' in 'metrics' (did you mean 'enabled'?)")
        }
    }
}
