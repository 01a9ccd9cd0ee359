import AuroraConfig
import AuroraCore
import AuroraExecutors
import AuroraLive
import AuroraOperations
import AuroraPrometheus
import AuroraRemediation
import AuroraStore
import Foundation

extension WatchLoop {
    /// How old a stored diagnosis may grow before the loop diagnoses its incident again although no
    /// event joined it and nothing else it depends on changed: evidence that arrives as points only is
    /// seen within five minutes.
    static let rediagnoseAfter: TimeInterval = 300

    /// How large the watcher lets the database's write-ahead log grow before a commit truncates it.
    /// A pass over 10,000 series writes some 50 MB of log; at the default 4 MB the file was truncated
    /// after every pass and grown again by the next (new file blocks to allocate on every write), a
    /// tenth of the pass's CPU. SQLite still checkpoints after every commit and reuses the file from its
    /// start, so the log stays about one pass's size; this bounds it on disk when readers hold it back.
    package static let writeAheadLogBytes: Int64 = 256 << 20

    /// One pass. Throws `PassFailure` (after logging) when a source failed, so that `--once` can say so.
    func pass() async throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let startedCPU = ProcessCPU.seconds()
        let now = clock.now()
        var failure: PassFailure?
        // 1. Webhook alerts received since the last pass.
        for alert in inbox.take() {
            do {
                var grouping = try IncidentGrouping(configuration: configuration)
                if settings.retention > 0 { grouping.horizon = now.addingTimeInterval(-settings.retention).unixMilliseconds }
                let outcome = try store.database.write {
                    try WebhookIntake.apply(alert, serviceLabel: settings.webhookServiceLabel, grouping: grouping, now: now, in: $0)
                }
                let name = alert.labels["alertname"] ?? "?"
                switch outcome {
                case .opened(let incident, let service):
                    log.event("webhook", "alert \(name) firing for \(service): incident \(incident)", [("incident", .integer(incident))])
                case .closed(let incident):
                    log.event("resolved", "incident \(incident) resolved: alert \(name) resolved in Alertmanager", [("incident", .integer(incident))])
                case .kept(let incident, let reason):
                    log.event("webhook", "alert \(name) resolved; incident \(incident) kept open (\(reason))")
                case .duplicate: break
                case .ignored(let reason):
                    log.event("webhook", "alert \(name) ignored: \(reason)")
                }
            } catch {
                metrics.recordError(source: "webhook")
                log.event("webhook", "could not apply alert \(alert.fingerprint): \(error)", level: "error")
            }
        }
        // 2. New points from the live source.
        var pointsRead = 0
        var watched = 0
        var absent = 0
        var catchingUp: [LiveIngest.CatchUp] = []
        var completeThrough: Int64?
        if var reader = ingest {
            let outcome = try await reader.pass(store: store, now: now)
            ingest = reader
            pointsRead = outcome.pull.points
            watched = outcome.seriesWatched
            absent = outcome.disappeared.count
            for report in outcome.pull.queries {
                if let error = report.error {
                    metrics.recordError(source: "prometheus")
                    log.event("source", error.description, level: "error", [("query", .string(report.query.query))])
                    if failure == nil || error.isQueryFault { failure = PassFailure(kind: error.kind, message: error.description) }
                } else if !report.warnings.isEmpty {
                    log.event("source", "partial data for \(report.query.displayName): \(report.warnings.joined(separator: "; "))", level: "warning",
                              [("query", .string(report.query.query))])
                }
            }
            catchingUp = outcome.catchingUp
            completeThrough = outcome.completeThrough
            metrics.setSourceBehind(seconds: Double(catchingUp.map(\.behind).max() ?? 0) / 1000)
            for behind in catchingUp {
                log.event("source", "catching up: \(behind.read) of \(behind.total) windows of \(behind.query.displayName) read, up to "
                          + "\(CivilTime.iso(behind.readUntil)), \(DurationText.format(Double(behind.behind / 1000))) behind",
                          [("query", .string(behind.query.query)), ("read_until", .string(CivilTime.iso(behind.readUntil))),
                           ("behind_seconds", .integer(behind.behind / 1000))])
            }
            // A target of thousands of series that stops answering is one line, not one per series or service.
            for (text, absences) in Disappearance.summaries(of: outcome.absences) {
                log.event("absent", text, level: "warning",
                          [("series", .string(absences[0].representative.description)),
                           ("count", .integer(Int64(absences.reduce(0) { $0 + $1.series.count }))), ("events", .integer(Int64(absences.count)))])
            }
        }
        try Task.checkCancellation()
        // 3. One healing pass over the stored series: the same operation as `aurora heal`.
        let context = OperationsContext(store: store, configuration: configuration, clock: clock, environment: environment,
                                        workingDirectory: workingDirectory, actor: options.actor, processRunner: SubprocessRunner(),
                                        httpTransport: transport)
        let log = self.log
        let metrics = self.metrics
        let collected = IncidentStepCollector()
        var earlyPublish: Task<PublishOutcome, Never>?
        var healing = HealingPass(context: context, dryRun: options.dryRun, actor: options.actor)
        // The watcher handles the signals for its whole run (WatchMain); a stop interrupts the pass's flow.
        healing.trapsSignals = false
        healing.onFlow = { [self] flow in setCurrentFlow(flow) }
        // An open incident is diagnosed again when something its diagnosis depends on changed, or every
        // few minutes: root-cause analysis of a large incident on every pass cost seconds of CPU.
        healing.rediagnoseAfter = Self.rediagnoseAfter
        // Points older than the retention are deleted: events that old can no longer make an incident.
        if settings.retention > 0 { healing.groupingHorizon = now.addingTimeInterval(-settings.retention) }
        // While some queries are behind, incidents past what all of them have read wait for the rest.
        healing.sourceCompleteThrough = completeThrough.map { Date(unixMilliseconds: $0) }
        defer { setCurrentFlow(nil) }
        let healed = try await healing.run { [self] event in
            switch event {
            case .detected:
                // Detection is over and remediation not begun: announce new incidents now, and post them
                // to Alertmanager before anything is done about them (the network part runs beside the pass).
                announceNewIncidents()
                if let publisher, let alerts = try? store.database.read({ try IncidentAlerts.current(now: clock.now(), validity: 240, in: $0) }) {
                    let now = clock.now()
                    earlyPublish = Task { PublishOutcome(await publisher.flush(alerts, now: now)) }
                }
            case .incident(let step):
                collected.add(step)
                // Counted when recorded: a decision that only repeats the one on record is not a new remediation.
                if step.action != nil, step.target != nil, step.remediationID != nil, step.unchangedSince == nil {
                    metrics.recordRemediation(outcome: Self.outcomeName(step.outcome))
                }
                // An incident left open (escalated, refused, waiting for data) is visited again every pass:
                // say what happened to it once, and again only when its diagnosis or decision changes.
                guard stepLog.isNews(step) else { return }
                // Recovered without action: nothing was diagnosed or decided; the resolution is the whole news.
                if step.recoveredAfter != nil {
                    log.event("resolved", "incident \(step.incident): \(step.outcome)", [("incident", .integer(step.incident))])
                    return
                }
                log.event("diagnosed", "incident \(step.incident): \(step.diagnosis)"
                          + (step.confidence.map { (step.confidenceMeasured ? String(format: " (confidence %.2f", $0) : " (confidence not measured")
                                  + (step.weighing.map { "; " + $0 + ")" } ?? step.tier.map { ", \($0.rawValue))" } ?? ")") } ?? ""),
                          [("incident", .integer(step.incident))])
                if let action = step.action, let target = step.target {
                    log.event("remediation", "incident \(step.incident): \(action) on \(target): \(step.outcome)",
                              [("incident", .integer(step.incident)), ("action", .string(action)), ("outcome", .string(step.outcome))])
                } else {
                    log.event("remediation", "incident \(step.incident): \(step.outcome)", [("incident", .integer(step.incident))])
                }
                if step.resolved {
                    log.event("resolved", "incident \(step.incident) resolved and learned: " + step.notes.joined(separator: "; "),
                              [("incident", .integer(step.incident))])
                }
            }
        }
        if let signal = healed.interruptedBy {
            log.event("stop", "the pass's remediation was interrupted by \(ExecutionInterruption.name(of: signal)): its process group was stopped")
        }
        // The early post must land before this pass's own (a resolution overtaken by its firing copy would re-fire).
        if let early = await earlyPublish?.value { report(early.report) }
        // What each incident's alert says now, kept in the database: a restarted watcher posts the same.
        let texts = Dictionary(collected.steps.map { ($0.incident, $0.alertText) }) { _, latest in latest }
        if !texts.isEmpty {
            do { try store.database.write { try IncidentAlertTextStore.record(texts, at: clock.now(), in: $0) } } catch {
                metrics.recordError(source: "store")
                log.event("alertmanager", "could not record the alerts' text (the previous text is posted): \(error)", level: "error")
            }
        }
        announceNewIncidents()
        let incidents = try store.database.read { try IncidentStore.list(in: $0, limit: 100_000) }
        // 5. Publish to Alertmanager (one bounded attempt; what is not accepted goes again next pass).
        if let publisher {
            let alerts = try store.database.read { try IncidentAlerts.current(now: clock.now(), validity: 240, in: $0) }
            report(await publisher.flush(alerts, now: clock.now()))
        }
        pruneOldPoints()
        let open = incidents.filter { $0.status != .resolved }.count
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        // The whole process's CPU: the listener's and the lease heartbeat's threads are counted too (they are idle between requests).
        let cpuSeconds = max(0, ProcessCPU.seconds() - startedCPU)
        metrics.recordPass(seconds: seconds, cpuSeconds: cpuSeconds, at: clock.now(), seriesWatched: watched, pointsRead: pointsRead, events: healed.newEvents,
                           absent: absent, openIncidents: open)
        setLastPassEnd(clock.now())
        if let path = options.metricsTextfile {
            do { try metrics.writeTextfile(path) } catch {
                metrics.recordError(source: "textfile")
                log.event("metrics", "cannot write \(path): \(error)", level: "error")
            }
        }
        log.event("pass", "\(watched) series, \(pointsRead) new points, \(healed.newEvents) new events, \(open) open incident(s) "
                  + String(format: "(%.3f s, %.3f s CPU)", seconds, cpuSeconds),
                  [("series", .integer(Int64(watched))), ("points", .integer(Int64(pointsRead))), ("events", .integer(Int64(healed.newEvents))),
                   ("open_incidents", .integer(Int64(open))), ("seconds", .number(seconds)), ("cpu_seconds", .number(cpuSeconds))])
        reportCatchUp(catchingUp)
        if let failure { throw failure }
    }

    /// Says how far the source is still behind after a pass that did not finish its catch-up (the
    /// gauge says it too). With `--once` the next run goes on from the watermarks, so the line says so:
    /// the exit status stays 0, since nothing failed and each run gets further.
    func reportCatchUp(_ catchingUp: [LiveIngest.CatchUp]) {
        let furthest = catchingUp.map(\.behind).max() ?? 0
        guard let through = catchingUp.map(\.readUntil).min(), let queries = ingest?.pull.source.queries.count else { return }
        let next = options.once ? "run aurora watch --once again to go on from there" : "the next pass goes on from there"
        log.event("behind", "still \(DurationText.format(Double(furthest / 1000))) behind the source: \(catchingUp.count) of \(queries) "
                  + "quer\(queries == 1 ? "y" : "ies") catching up, all read up to \(CivilTime.iso(through)); \(next)",
                  level: options.once ? "warning" : "info",
                  [("behind_seconds", .integer(furthest / 1000)), ("read_until", .string(CivilTime.iso(through))),
                   ("queries_behind", .integer(Int64(catchingUp.count)))])
    }

    /// Deletes points older than `watch.retention`, at most once a minute (a prune that finds nothing
    /// still reads every series' summary). A failure is logged; the next pass tries again.
    func pruneOldPoints() {
        let now = clock.now()
        guard settings.retention > 0, lastPrune.map({ now.timeIntervalSince($0) >= 60 }) ?? true else { return }
        do {
            let report = try PointPruning.prune(olderThan: now.addingTimeInterval(-settings.retention), dryRun: false, store: store)
            lastPrune = now
            if report.points > 0 {
                log.event("retention", "deleted \(report.points) point(s) older than \(DurationText.format(settings.retention)) from \(report.series) series",
                          [("points", .integer(Int64(report.points))), ("series", .integer(Int64(report.series)))])
            }
        } catch {
            metrics.recordError(source: "retention")
            log.event("retention", "could not delete old points: \(error)", level: "error")
        }
    }

    /// Logs the incidents opened since the last look, with their detection latency.
    func announceNewIncidents() {
        guard let incidents = try? store.database.read({ try IncidentStore.list(in: $0, limit: 100_000) }) else { return }
        for incident in incidents where !knownIncidents.contains(incident.id) {
            knownIncidents.insert(incident.id)
            let latency = incident.detected.timeIntervalSince1970 - Double(incident.start) / 1000
            metrics.recordDetectionLatency(max(0, latency))
            log.event("incident", "incident \(incident.id) opened: \(incident.services.joined(separator: ", "))",
                      [("incident", .integer(incident.id)), ("services", .array(incident.services.map { .string($0) }))])
        }
    }

    /// Logs and counts what a flush did.
    func report(_ report: AlertPublisher.Report) {
        metrics.setAlertsPending(report.pending)
        if let error = report.error {
            metrics.recordError(source: "alertmanager")
            log.event("alertmanager", "\(report.pending) alert(s) not accepted, sent again next pass: \(error.message)", level: "warning")
        } else if report.firing + report.resolved > 0 {
            log.event("alertmanager", "posted \(report.firing) firing and \(report.resolved) resolved alert(s)")
        }
    }

    /// `executed: succeeded, health check passed` → `succeeded`.
    static func outcomeName(_ outcome: String) -> String {
        if outcome.hasPrefix("executed: ") {
            return String(outcome.dropFirst("executed: ".count).prefix { $0 != "," })
        }
        return String(outcome.prefix { $0 != ":" && $0 != " " })
    }

    /// On stop: every remediation this process is running is marked `interrupted` (conditionally: one
    /// that just finished keeps its outcome) and its process group is terminated, SIGKILL after the grace.
    ///
    /// Called by the loop after its last pass has ended, so the process's one connection is free: no
    /// second connection is opened for it.
    func interruptRunningRemediations() {
        let me = getpid()
        let now = clock.now()
        let groups: [Int32] = (try? store.database.write { db -> [Int32] in
            var groups: [Int32] = []
            for record in try RemediationStore.list(states: [.running], in: db) where record.ownerPID == me {
                let changed = try RemediationStore.transition(
                    record.id, from: [.running], to: .interrupted, rule: "watch.stopped",
                    reason: "aurora watch was stopped while the action ran; its process group was terminated", at: now,
                    set: [(.finishedAt, .integer(now.unixMilliseconds)), (.outcome, .text("interrupted"))], in: db)
                if changed {
                    try AuditLog.append(AuditEntry(at: now, actor: "aurora", action: "remediation.interrupted", subject: record.auditSubject,
                                                   detail: "aurora watch stopped", outcome: "interrupted"), to: db)
                    if let group = record.childProcessGroup { groups.append(group) }
                }
            }
            return groups
        }) ?? []
        guard !groups.isEmpty else { return }
        for group in groups { kill(-group, SIGTERM) }
        log.event("stop", "interrupted \(groups.count) running remediation(s): process group(s) \(groups.map(String.init).joined(separator: ", ")) terminated")
        let deadline = Date().addingTimeInterval(killGrace)
        while Date() < deadline, groups.contains(where: { kill(-$0, 0) == 0 }) { usleep(50_000) }
        for group in groups where kill(-group, 0) == 0 { kill(-group, SIGKILL) }
    }
}

/// A flush's report, carried out of the task that made it.
struct PublishOutcome: Sendable {
    var report: AlertPublisher.Report
    init(_ report: AlertPublisher.Report) { self.report = report }
}

/// Collects the observer's steps (the observer is called on the pass's task; read after it ends).
final class IncidentStepCollector: @unchecked Sendable {
    // Unchecked: `items` is guarded by `lock`.
    private let lock = NSLock()
    private var items: [HealingPass.IncidentStep] = []
    func add(_ step: HealingPass.IncidentStep) { lock.withLock { items.append(step) } }
    var steps: [HealingPass.IncidentStep] { lock.withLock { items } }
}
