import AuroraConfig
import AuroraCore
import AuroraExecutors
import AuroraLive
import AuroraOperations
import AuroraPrometheus
import AuroraRemediation
import AuroraStore
import Foundation

/// `aurora watch`: runs the loop on a live source until stopped. Each pass: take the webhook alerts
/// received, read each query's new points (from its watermark) and store them, run one healing pass
/// (detect → diagnose → decide → remediate → verify → resolve → learn, the same operation as
/// `aurora heal`), publish the incidents to Alertmanager, then update the metrics. Passes never
/// overlap: a slow pass delays the next. SIGTERM/SIGINT stop it cleanly; SIGHUP reloads the
/// configuration (an invalid file is reported and the old configuration stays in force).
package final class WatchLoop: @unchecked Sendable {
    // Unchecked: the mutable state below is touched by the loop's own task only, except the flags
    // under `lock`, which the signal queue sets.
    package struct Options: Sendable {
        package var once = false
        package var listen: String?
        package var metricsTextfile: String?
        package var dryRun = false
        package var actor = "aurora"
        /// The pace of a long catch-up: points one round's answers hold together, and rounds per pass
        /// (`LiveIngest`). Tests lower them to make a catch-up take several passes.
        package var catchUpPointBudget = PrometheusClient.answerPointBudget
        package var catchUpRoundsPerPass = LiveIngest.roundsPerPass

        package init(once: Bool = false, listen: String? = nil, metricsTextfile: String? = nil, dryRun: Bool = false, actor: String = "aurora") {
            self.once = once
            self.listen = listen
            self.metricsTextfile = metricsTextfile
            self.dryRun = dryRun
            self.actor = actor
        }
    }

    /// How the watcher ended.
    package enum Ending: Sendable, Equatable {
        /// Stopped by a signal, or `--once` done with no error.
        case stopped
        /// `--once` with errors from a source (the failure's kind).
        case passFailed(FailureKind, String)
        /// Another watcher took the lease over.
        case leaseLost(String)
    }

    let store: Store
    let configurationPath: String?
    let loadConfiguration: @Sendable (String?) throws -> Configuration
    let environment: [String: String]
    let workingDirectory: String
    let clock: any WallClock
    let transport: any HTTPTransport
    let options: Options
    let log: WatchLog
    package let metrics = WatchMetrics()
    let wakeup = Wakeup()
    let inbox: WebhookInbox

    var configuration: Configuration
    /// `watch` and `remediation.kill-grace` of `configuration`, read (and checked) when it is configured.
    var settings: WatchSettings
    var killGrace: Double
    var ingest: LiveIngest?
    var publisher: AlertPublisher?
    var knownIncidents: Set<Int64> = []
    /// What was last logged of each incident's step, so that a pass logs only what changed.
    let stepLog = IncidentStepLog()
    /// When points were last pruned (`watch.retention`): at most once a minute.
    var lastPrune: Date?
    var listener: WebhookListener?

    private let lock = NSLock()
    private var stopSignal: Int32?
    private var reloadRequested = false
    private var passTask: Task<Void, any Error>?
    private var currentFlow: RemediationFlow?
    private var lastPassEnd: Date?

    package init(store: Store, configuration: Configuration, configurationPath: String?,
                loadConfiguration: @escaping @Sendable (String?) throws -> Configuration,
                environment: [String: String], workingDirectory: String, clock: any WallClock, transport: any HTTPTransport,
                options: Options, log: WatchLog) throws {
        self.store = store
        self.configuration = configuration
        self.configurationPath = configurationPath
        self.loadConfiguration = loadConfiguration
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.clock = clock
        self.transport = transport
        self.options = options
        self.log = log
        inbox = WebhookInbox(wakeup: wakeup)
        settings = try configuration.watch
        killGrace = try configuration.seconds("remediation.kill-grace")
        try configure(configuration)
    }

    /// Builds the source reader and the publisher from a configuration (at start and on reload).
    func configure(_ configuration: Configuration) throws {
        let fresh = try configuration.watch
        let grace = try configuration.seconds("remediation.kill-grace")
        var secrets: [String] = []
        if let source = try configuration.prometheusSource {
            let (pull, resolved) = try PrometheusPull.make(source: source, transport: transport, environment: environment,
                                                           retry: BackoffPolicy(attempts: 3, initialDelay: 0.25, maximumDelay: 2))
            secrets += resolved
            var reader = LiveIngest(pull: pull, backfill: fresh.backfill)
            reader.pointBudget = options.catchUpPointBudget
            reader.maximumRoundsPerPass = options.catchUpRoundsPerPass
            reader.incidentGap = try IncidentGrouping(configuration: configuration).gap
            // A baseline older than the retention is history: what stopped before it is not reported.
            reader.baselineLifetime = Int64(fresh.retention * 1000)
            // The baselines are in the database, per query: this copy is only used while still current there.
            if let previous = ingest { reader.keepBaseline(from: previous) }
            ingest = reader
        } else {
            ingest = nil
        }
        if let alerting = try configuration.alertmanager {
            let resolved: (headers: [HTTPHeaderField], secrets: [String])
            do { resolved = try SecretHeaders.resolve(alerting.headers, environment: environment) } catch {
                throw SimpleFailure(.configuration, "alertmanager.\(error.description)")
            }
            secrets += resolved.secrets
            if publisher == nil || (try? self.configuration.alertmanager) != alerting {
                publisher = AlertPublisher(client: AlertmanagerClient(baseURL: alerting.url, headers: resolved.headers, timeout: alerting.timeout,
                                                                      transport: transport), extraLabels: alerting.labels)
            }
        } else {
            publisher = nil
        }
        log.redacting(Redactor(secrets: secrets))
        self.configuration = configuration
        settings = fresh
        killGrace = grace
    }

    /// Asks the loop to stop (from the signal queue): a running remediation's process group is
    /// stopped at once and its row marked `interrupted`, then the pass is cancelled.
    package func requestStop(signal: Int32) {
        let first = lock.withLock {
            let first = stopSignal == nil
            stopSignal = signal
            return first
        }
        guard first else { return }
        log.event("stop", "received \(signal == SIGINT ? "SIGINT" : "SIGTERM"): stopping")
        // A remediation in progress: its flow stops the executor's process group (SIGTERM, SIGKILL after
        // the kill grace), starts nothing more, and records it interrupted.
        lock.withLock { currentFlow }?.interrupt(by: signal)
        wakeup.signal()
        // Whatever else the pass is doing (a Prometheus retry, a health check) is cancelled after the
        // grace, so that a stop never waits long.
        let grace = killGrace
        Task.detached { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64((grace + 2) * 1e9))
            self?.lock.withLock { self?.passTask }?.cancel()
        }
    }

    /// Asks the loop to reload its configuration before the next pass.
    package func requestReload() {
        lock.withLock { reloadRequested = true }
        log.event("reload", "received SIGHUP: reloading the configuration")
        wakeup.signal()
    }

    var stopping: Bool { lock.withLock { stopSignal != nil } }

    func setLastPassEnd(_ date: Date) { lock.withLock { lastPassEnd = date } }

    func setCurrentFlow(_ flow: RemediationFlow?) { lock.withLock { currentFlow = flow } }

    /// Runs until stopped (or one pass with `--once`).
    package func run(lease: LeaseKeeper) async -> Ending {
        lease.startHeartbeat { [weak self] in
            self?.log.event("lease", "another aurora watch took over this database's lease: stopping", level: "error")
            self?.lock.withLock { self?.stopSignal = SIGTERM }
            self?.lock.withLock { self?.passTask }?.cancel()
            self?.wakeup.signal()
        }
        knownIncidents = Set((try? store.database.read { try IncidentStore.list(in: $0, limit: 100_000) })?.map(\.id) ?? [])
        var ending = Ending.stopped
        while !stopping {
            if lock.withLock({ () -> Bool in defer { reloadRequested = false }; return reloadRequested }) { reload() }
            let started = Date()
            let task = Task { [self] in try await self.pass() }
            lock.withLock { passTask = task }
            do {
                try await task.value
            } catch let failure as PassFailure {
                if options.once { ending = .passFailed(failure.kind, failure.message) }
            } catch {
                if !stopping {
                    metrics.recordError(source: "pass")
                    log.event("pass", "the pass failed: \(error)", level: "error")
                    if options.once { ending = .passFailed((error as? any AuroraFailure)?.kind ?? .software, "\(error)") }
                }
            }
            lock.withLock { passTask = nil }
            if options.once || stopping { break }
            let elapsed = Date().timeIntervalSince(started)
            await wakeup.wait(seconds: max(0, settings.interval - elapsed))
        }
        if lease.isLost { ending = .leaseLost(lease.holder) }
        // A remediation still recorded running by this process (its executor did not report in time)
        // is stopped and recorded interrupted here.
        if stopping { interruptRunningRemediations() }
        await finish()
        if !lease.isLost { lease.release(in: store) }
        return ending
    }

    /// The last things a stopping watcher does: post the resolutions still due, stop listening.
    func finish() async {
        if let publisher, let alerts = try? store.database.read({ try IncidentAlerts.current(now: clock.now(), validity: 240, in: $0) }) {
            let report = await publisher.flush(alerts.filter { $0.resolvedAt != nil }, now: clock.now())
            if report.pending > 0 { log.event("alertmanager", "\(report.pending) resolution(s) not accepted before stopping", level: "warning") }
        }
        await listener?.stop()
        log.event("stop", "stopped")
    }

    func reload() {
        do {
            let fresh = try loadConfiguration(configurationPath)
            try configure(fresh)
            log.event("reload", "configuration reloaded from \(configurationPath ?? "built-in defaults")")
            // What every command prints on stderr when it reads the file: keys that load but do nothing.
            for warning in fresh.warnings { log.event("reload", "\(warning.location): warning: \(warning.message)", level: "warning") }
        } catch {
            metrics.recordError(source: "config")
            log.event("reload", "the configuration is invalid, the old one stays in force: \(error)", level: "error")
        }
    }

    /// Health for `/healthz`: fine while passes keep coming.
    func health() -> (ok: Bool, text: String) {
        let last = lock.withLock { lastPassEnd }
        guard let last else { return (true, "starting") }
        let age = clock.now().timeIntervalSince(last)
        let late = age > max(60, settings.interval * 5)
        return (!late, "last pass \(Int(age)) s ago")
    }

    /// Starts the webhook listener.
    package func startListener(address: String) async throws {
        let tokenVariable = settings.webhookTokenVariable
        let token = tokenVariable.flatMap { environment[$0] }
        if let tokenVariable, token == nil {
            throw SimpleFailure(.configuration, "watch.webhook-token-env names \(tokenVariable), which is not set in the environment")
        }
        let listener = try WebhookListener(
            settings: WebhookListener.Settings(address: address, bodyLimit: settings.webhookBodyLimit, token: token),
            inbox: inbox, metrics: metrics, log: log, health: { [weak self] in self?.health() ?? (false, "stopping") })
        try await listener.start()
        self.listener = listener
        log.event("listen", "listening on \(address) (POST /alertmanager, GET /healthz, GET /metrics)")
    }

    struct PassFailure: Error {
        var kind: FailureKind
        var message: String
    }
}
