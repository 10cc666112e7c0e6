import AWSClient
import Audit
import ControlProtocol
import Engine
import Foundation
import Journal
import Runbook
import ServiceLifecycle
import Steps
import Synchronization
import UnixSignals

/// cutoverd put together: open and verify the journal, resume every run, listen on the control
/// socket, tell systemd READY=1, then serve the daemon's services in one `ServiceGroup` until
/// SIGTERM — and on SIGTERM shut them down gracefully (socket, runs — AWS calls in flight finish
/// or stay open for reconciliation — then the rest), checkpoint, journal the stop, and exit 0.
public final class CutoverDaemon: Sendable {
    public static let version = "0.6.0"

    let options: DaemonOptions
    let environment: [String: String]
    let log: DaemonLog
    let systemd: SystemdNotifier
    /// `/metrics`' registry; `cutoverd` bootstraps swift-metrics with it (`DaemonMetricsFactory`).
    public let metrics = DaemonMetrics()
    private let config: Mutex<DaemonConfig>

    public init(options: DaemonOptions, config: DaemonConfig, environment: [String: String], log: DaemonLog) {
        self.options = options
        self.environment = environment
        self.log = log
        self.config = Mutex(config)
        systemd = SystemdNotifier(environment: environment)
    }

    /// Loads the configuration the options name. A missing file is fine only when the default
    /// path was not overridden.
    public static func loadConfig(_ options: DaemonOptions, environment: [String: String]) throws(DaemonStartupError) -> DaemonConfig {
        let file = options.configFile ?? DaemonOptions.defaultConfigFile
        if options.configFile == nil, !FileManager.default.fileExists(atPath: file) { return DaemonConfig() }
        do {
            return try DaemonConfigLoader(environment: environment).load(file: file)
        } catch {
            throw DaemonStartupError(
                .config, "\(error)\ncutoverd did not start: fix \(file) (cutoverd --check-config --config \(file) checks it)")
        }
    }

    /// Runs until a stop signal; returns the process exit code.
    public func run() async -> Int32 {
        // Trapped first: a stop signal during start-up is handled once the services run, not fatal.
        let trapped = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        let config = self.config.withLock { $0 }
        let clock = Self.clock(config.clock)
        let startedAt = clock.now()
        if config.clock.scale != 1 {
            log.warning("the daemon clock runs \(config.clock.scale)× faster than real time (demo/test configuration)")
        }

        // 1. State directory and journal, verified before anything else.
        let layout = StateLayout(directory: config.stateDirectory)
        let journal: Journal
        do {
            try FileManager.default.createDirectory(
                atPath: layout.directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            journal = try Journal(path: layout.journal)
        } catch {
            return fail(DaemonStartupError(.unavailable, "cannot open the journal \(layout.journal): \(error)"))
        }
        do {
            let report = try journal.verify()
            guard report.valid else {
                return fail(
                    DaemonStartupError(
                        .journal,
                        "the journal \(layout.journal) does not verify: \(report). cutoverd will not run on a broken chain. "
                            + "Inspect it with `cutoverctl audit verify --state-dir \(layout.directory)`, keep a copy for the "
                            + "investigation, and move it aside only once you know what happened"))
            }
        } catch {
            return fail(DaemonStartupError(.journal, "cannot verify the journal \(layout.journal): \(error)"))
        }

        // 2. The audit key and checkpointer.
        let key: AuditKey
        do {
            if let keyFile = config.audit.keyFile {
                key = try AuditKey.load(from: keyFile)
            } else {
                key = try AuditKey.resolve(stateDirectory: layout.directory, environment: environment)
            }
        } catch {
            return fail(DaemonStartupError(.unavailable, "cannot load or create the audit key: \(error)"))
        }
        let checkpointer = Checkpointer(
            journal: journal, key: key, anchors: CheckpointAnchorLog(path: layout.checkpointAnchors),
            interval: 100, now: { clock.now() })

        // 3. AWS: base credentials and endpoints; a session factory per run.
        let base: any CredentialProvider
        let endpoints: EndpointResolver
        do {
            base = try CredentialSourceFactory.provider(for: config.aws.credentials, environment: environment, now: { clock.now() })
            endpoints = try CredentialSourceFactory.endpoints(for: config.aws, environment: environment)
        } catch {
            return fail(DaemonStartupError(.config, "AWS settings: \(error)"))
        }
        let sessions: DaemonRuns.SessionFactory = { plan, runId in
            RunbookAccountSessions(
                accounts: plan.accounts, region: plan.region, base: base, endpoints: endpoints,
                sessionName: "cutover-\(runId)", now: { clock.now() })
        }

        // 4. Runs, events, metrics, notifications.
        let hub = RunEventHub()
        hub.attach(to: journal)
        let metrics = self.metrics
        metrics.setJournalRecords((try? journal.recordCount) ?? 0)
        let notifier = Notifier(
            configuration: config.notifications, log: log, metrics: metrics,
            sns: { topic in try? CredentialSourceFactory.snsClient(topic: topic, base: base, endpoints: endpoints) })
        let runs = DaemonRuns(journal: journal, clock: clock, sessions: sessions, log: log, rehearsal: config.rehearsal)
        let runbooks = RunbookLibrary(catalog: StepLibrary.catalog)
        for problem in runbooks.reload(directories: config.runbookDirectories) { log.warning("runbook problem", ["problem": problem]) }
        let observer = RunObserver(runs: runs, metrics: metrics, notifier: notifier, systemd: systemd, log: log)
        await runs.onHalt { halt in await observer.runHalted(halt) }
        let observed = hub.subscribe(stream: nil)
        let checkpointing = hub.subscribe(stream: nil)
        let observing = Task { await observer.follow(observed) }

        let inherited = SocketActivation.listeningSockets(environment: environment, pid: getpid())
        SocketActivation.unsetEnvironment()
        do {
            try DaemonStream.append(
                journal, kind: "daemon.started",
                DaemonStream.Started(
                    version: Self.version, pid: getpid(), uid: getuid(), invocationId: environment["INVOCATION_ID"],
                    configFile: options.configFile, journalRecords: (try? journal.recordCount) ?? 0,
                    socketActivated: !inherited.isEmpty, clockScale: config.clock.scale, auditKeyId: key.keyId),
                at: clock.now())
            _ = try checkpointer.catchUp()
        } catch {
            return fail(DaemonStartupError(.unavailable, "cannot journal the daemon's start: \(error)"))
        }
        let resumed: Int
        do {
            resumed = try await runs.resumeAll()
        } catch {
            return fail(DaemonStartupError(.journal, "cannot resume the runs: \(error)"))
        }

        // 5. The control socket.
        let access = ControlAccess(
            operatorGroups: config.access.operatorGroups, approverGroups: config.access.approverGroups,
            daemonUid: getuid())
        let resolver = PeerIdentityResolver.system
        let reloadBox = Mutex<(@Sendable (OperatorIdentity) async -> Result<String, ControlFailure>)?>(nil)
        let routes = ControlRoutes(
            .init(
                runs: runs, runbooks: runbooks, journal: journal, hub: hub, clock: clock,
                identify: { resolver.identity(for: $0) },
                metrics: { await Self.render(metrics, runs: runs, clock: clock) },
                reload: { who in
                    guard let reload = reloadBox.withLock({ $0 }) else { return .failure(ControlFailure(503, "starting", "not ready")) }
                    return await reload(who)
                },
                preflight: { plan in await Preflight.run(plan, sessions: sessions(plan, "preflight"), now: { clock.now() }) },
                version: Self.version, startedAt: startedAt),
            access: access, log: log)
        let listener: ControlServer.Listener =
            inherited.first.map { .inherited(fd: $0) }
            ?? .path(config.socket.path, mode: config.socket.mode, group: config.socket.group)
        let server = ControlServer(listener: listener, handler: routes, log: log)
        do {
            if case .path = listener {
                try FileManager.default.createDirectory(
                    atPath: (config.socket.path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
            }
            try await server.start()
        } catch {
            observing.cancel()
            await runs.stopAll()
            return fail(DaemonStartupError(.unavailable, "cannot listen on the control socket: \(error)"))
        }
        reloadBox.withLock {
            $0 = { [self] who in
                await self.reload(by: who, routes: routes, notifier: notifier, runbooks: runbooks, journal: journal, clock: clock)
            }
        }

        // 6. Ready.
        let socketText = inherited.isEmpty ? config.socket.path : "the socket systemd passed"
        log.notice(
            "cutoverd ready",
            [
                "version": Self.version, "socket": socketText, "journal": layout.journal,
                "records": "\((try? journal.recordCount) ?? 0)", "resumed": "\(resumed)", "auditKey": key.keyId,
            ])
        systemd.ready(status: resumed == 0 ? "ready: no active runs" : "ready: resumed \(resumed) run(s)")
        await observer.updateStatus()

        // 7. Serve until told to stop. On SIGTERM/SIGINT the group shuts its services down in reverse
        // order: no new requests, runs stop between steps (attempts in flight stay open for check),
        // then the watchdog, window warnings and checkpoint follower.
        let follower = CheckpointFollower(checkpointer: checkpointer, within: .seconds(config.audit.checkpointIntervalSeconds)) {
            [log = self.log] error in
            log.critical("cannot write a signed checkpoint: the journal can no longer be vouched for", ["error": "\(error)"])
        }
        let signals = SignalService(
            signals: trapped,
            reload: { [self] in
                _ = await self.reload(
                    by: OperatorIdentity(user: "SIGHUP", uid: getuid()), routes: routes, notifier: notifier,
                    runbooks: runbooks, journal: journal, clock: clock)
            },
            stopping: { [self] reason in
                self.systemd.stopping()
                self.log.notice("cutoverd stopping", ["reason": reason])
            })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: CheckpointService(follower: follower, records: checkpointing), serviceName: "checkpointer"),
            .init(
                service: WindowWarningService(
                    warnings: WindowWarnings(
                        runs: runs, clock: clock, observer: observer,
                        warning: config.notifications.windowWarningSeconds)),
                serviceName: "window-warnings"),
        ]
        if let interval = systemd.watchdogInterval {
            services.append(
                .init(
                    service: WatchdogService(interval: interval) { [self] interval in
                        await self.watchdog(every: interval, runs: runs, journal: journal)
                    }, serviceName: "watchdog"))
        }
        services += [
            .init(service: RunDriverService(runs: runs), serviceName: "run-driver"),
            .init(service: ControlServerService(server: server), serviceName: "control-server"),
            .init(service: signals, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "signals"),
        ]
        var lifecycle = log.logger
        lifecycle[metadataKey: "component"] = "lifecycle"
        do {
            try await ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: lifecycle)).run()
        } catch {
            log.error("a daemon service failed; stopping", ["error": "\(error)"])
            await server.stop()
            await runs.stopAll()
        }
        let reason = signals.stopReason

        // 8. Stop: checkpoint and journal the stop.
        let open = await runs.active().map(\.runId)
        do {
            try DaemonStream.append(
                journal, kind: "daemon.stopped", DaemonStream.Stopped(reason: reason, runsLeftOpen: open), at: clock.now())
            _ = try checkpointer.catchUp()
            _ = try checkpointer.checkpointAll(reason: .shutdown)
        } catch {
            log.error("cannot journal the stop or the final checkpoint", ["error": "\(error)"])
        }
        hub.finishAll()
        observing.cancel()
        await notifier.drain(timeout: .seconds(5))
        journal.close()
        log.notice("cutoverd stopped", ["runsLeftOpen": open.joined(separator: ",")])
        return 0
    }

    private func fail(_ error: DaemonStartupError) -> Int32 {
        log.critical(error.message)
        return error.kind.rawValue
    }

    static func clock(_ settings: DaemonConfig.Clock) -> any EngineClock {
        guard settings.scale != 1 || settings.origin != nil else { return SystemClock() }
        let anchor = settings.anchor.map { Date(timeIntervalSince1970: $0) } ?? Date()
        return ScaledClock(origin: settings.origin ?? anchor, factor: settings.scale, realAnchor: anchor)
    }

    /// SIGHUP and `POST /v1/reload`: re-read the configuration and apply what can change while
    /// runs go on (log level, access groups, notification targets). A running plan never changes;
    /// the socket, state directory, credentials and clock need a restart.
    func reload(
        by who: OperatorIdentity, routes: ControlRoutes, notifier: Notifier, runbooks: RunbookLibrary, journal: Journal,
        clock: any EngineClock
    ) async -> Result<String, ControlFailure> {
        systemd.reloading()
        defer { systemd.readyAfterReload() }
        let old = config.withLock { $0 }
        let new: DaemonConfig
        do {
            new = try Self.loadConfig(options, environment: environment)
        } catch {
            log.error("reload refused: the configuration has errors; the old one stays in force", ["error": error.message])
            _ = try? DaemonStream.append(
                journal, kind: "daemon.reloaded",
                DaemonStream.Reloaded(configFile: options.configFile, outcome: "refused", changes: [error.message]),
                at: clock.now())
            return .failure(ControlFailure(422, "config-invalid", error.message))
        }
        var changes: [String] = []
        if new.logLevel != old.logLevel, let level = DaemonLog.Level(name: new.logLevel) {
            log.level = level
            changes.append("logLevel \(old.logLevel) → \(new.logLevel)")
        }
        if new.access != old.access {
            routes.access = ControlAccess(
                operatorGroups: new.access.operatorGroups, approverGroups: new.access.approverGroups, daemonUid: getuid())
            changes.append("access groups")
        }
        if new.notifications != old.notifications {
            await notifier.reconfigure(new.notifications)
            changes.append("notification targets")
        }
        let problems = runbooks.reload(directories: new.runbookDirectories)
        for problem in problems { log.warning("runbook problem", ["problem": problem]) }
        changes.append("runbooks re-read (\(runbooks.list.runbooks.count), \(problems.count) problem(s))")
        var needRestart: [String] = []
        if new.socket != old.socket { needRestart.append("socket") }
        if new.stateDirectory != old.stateDirectory { needRestart.append("stateDirectory") }
        if new.aws != old.aws { needRestart.append("aws") }
        if new.clock != old.clock { needRestart.append("clock") }
        if new.audit != old.audit { needRestart.append("audit") }
        config.withLock { $0 = new }
        let message =
            (changes.isEmpty
                ? "configuration re-read; nothing changed that applies while running" : "applied: " + changes.joined(separator: ", "))
            + (needRestart.isEmpty ? "" : "; needs a restart to apply: " + needRestart.joined(separator: ", "))
        log.notice("configuration reloaded", ["by": who.description, "result": message])
        _ = try? DaemonStream.append(
            journal, kind: "daemon.reloaded",
            DaemonStream.Reloaded(
                configFile: options.configFile, outcome: "applied", changes: changes + needRestart.map { "restart needed: \($0)" }),
            at: clock.now())
        return .success(message)
    }

    /// WATCHDOG=1 only while the engine answers: the journal reads and every active run's actor
    /// responds within half the interval. A stuck engine stops the pings and systemd restarts it.
    func watchdog(every interval: Duration, runs: DaemonRuns, journal: Journal) async {
        while !Task.isCancelled {
            if await Self.engineResponds(runs: runs, journal: journal, within: interval / 2) {
                systemd.watchdog()
            } else {
                log.error("engine did not answer within the watchdog interval; not pinging systemd")
            }
            try? await Task.sleep(for: interval)
        }
    }

    static func engineResponds(runs: DaemonRuns, journal: Journal, within limit: Duration) async -> Bool {
        guard (try? journal.recordCount) != nil else { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for executor in await runs.active() { _ = await executor.state.status }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Gauges are computed at scrape time from the runs themselves; counters come from the journal.
    static func render(_ metrics: DaemonMetrics, runs: DaemonRuns, clock: any EngineClock) async -> String {
        var byRunState: [String: Int] = [:]
        var byStepState: [String: Int] = [:]
        var waiting = 0
        let now = clock.now()
        for status in RunStatus.allCases { byRunState[status.rawValue] = 0 }
        for snapshot in await runs.snapshots() {
            byRunState[snapshot.status.rawValue, default: 0] += 1
            let active = !snapshot.status.isTerminal
            if active {
                for step in snapshot.steps { byStepState[step.status.rawValue, default: 0] += 1 }
                waiting += snapshot.steps.filter { $0.status == .awaitingApproval }.count
            }
            metrics.setWindowRemaining(run: snapshot.runId, seconds: active ? snapshot.windowEnd.map { $0.timeIntervalSince(now) } : nil)
        }
        metrics.setRuns(byRunState)
        metrics.setSteps(byStepState)
        metrics.setApprovalsWaiting(waiting)
        metrics.setRunsHalted(await runs.haltedRuns.count)
        return metrics.render()
    }
}
