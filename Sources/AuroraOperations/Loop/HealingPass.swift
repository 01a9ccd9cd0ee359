import AuroraCore
import AuroraDetection
import AuroraDiagnosis
import AuroraRemediation
import AuroraStore
import Foundation

/// One pass of the whole loop over the stored series: detect → diagnose → decide → remediate →
/// verify → resolve → learn. `aurora heal`, `aurora demo` and `aurora watch` run it.
///
/// ```swift
/// let context = OperationsContext(store: store, configuration: configuration, clock: clock,
///                                 environment: environment, actor: "aurora")
/// let pass = try await HealingPass(context: context, dryRun: false, actor: "aurora")
///     .run { event in log(event) }           // observer: called as things happen
/// pass.newEvents, pass.scoredSeries, pass.steps  // what happened, once the pass is over
/// ```
///
/// The pass scores every stored series from its watermark on (recording events and grouping them
/// into incidents), recovers interrupted remediations, then takes each unresolved incident that has
/// no remediation in flight or failed: diagnoses it (through a learned pattern when one immunises
/// it; with `rediagnoseAfter` set, `aurora watch`, it takes the stored diagnosis again while nothing
/// it depends on changed — see `DiagnosisBasis`), asks for its recommended remediation through the whole
/// policy flow with the probability that acting is right (the diagnosis' confidence in its cause times
/// how likely the incident is a real fault, `FaultReality`; a learned pattern's own confidence), and — when it ran and its health check passed — resolves the incident and learns. An
/// incident whose last anomaly is older than `remediation.stale-after` is diagnosed and recorded, but its
/// remediation is refused (`stale.incident`) unless it would go to a person anyway. Last, an incident whose
/// series stayed quiet for `diagnosis.recovered-after` while reporting is resolved as recovered without
/// action (`QuietRecovery`), unless a remediation of it is queued or in hand.
/// Incidents with no known remediation, or whose remediation the policy escalates, are escalated; queued
/// ones marked remediating. A remediation
/// refused, escalated or queued exactly as the incident's latest one (same action, target, rule and
/// reason) is not recorded again: the step names the standing row and since when. Every state
/// change is a transaction; a pass may run beside other aurora processes on the same database.
/// Errors from the store or the configuration are thrown; an action that fails is an outcome.
package struct HealingPass {
    /// What happened to one incident in this pass.
    package struct IncidentStep: Sendable {
        package var incident: Int64
        package var services: [String]
        /// The diagnosis in one line.
        package var diagnosis: String
        package var viaLearnedPattern: Bool
        /// The diagnosis' confidence in its cause (given a fault).
        package var confidence: Double?
        /// How likely the incident is a real fault at all (nil through a learned pattern, or when the cause
        /// was not measured): the remediation is decided on it times `confidence` (`actingConfidence`).
        package var faultReality: FaultReality?
        /// The confidence the remediation was decided on: that the fault is real and its cause right.
        package var actingConfidence: Double?
        /// False when the cause rests on series that stopped reporting: nothing was measured, and
        /// `confidence` (0, so that the decision escalates) is no value to show.
        package var confidenceMeasured = true
        package var tier: ConfidenceTier?
        /// The recommended action and its target service.
        package var action: String?
        package var target: String?
        /// What the remediation did, in one line.
        package var outcome: String
        package var remediationID: Int64?
        /// The policy rule that decided the remediation (`governance.default-allow`, `rate.cooldown`,
        /// `stale.incident`), when one was asked for.
        package var rule: String?
        /// The incident was resolved: by a verified remediation, or (with `recoveredAfter`) because it recovered.
        package var resolved: Bool
        /// Resolution and learning lines.
        package var notes: [String]
        /// The strongest evidence, in plain words.
        package var evidence: [String] = []
        /// Set when the remediation's decision only repeated the one already on record (`remediationID`,
        /// still refused, escalated or waiting for approval for the same reason): when that was recorded.
        /// Nothing was recorded this time.
        package var unchangedSince: Date?
        /// Set when the stored diagnosis was taken again (nothing it depends on changed): when it was made.
        package var reusedDiagnosisFrom: Date?
        /// Set when the incident recovered without action (`diagnosis.recovered-after`): the quiet period it
        /// stayed quiet for. Nothing was diagnosed or decided in this step; `outcome` says what the data showed.
        package var recoveredAfter: TimeInterval?
        /// Milliseconds the diagnosis itself took (analysis, or the learned-pattern match).
        package var diagnosisMilliseconds: Double = 0
        /// Milliseconds from the start of the pass to the remediation decision, for the known-pattern
        /// speed-up the SLO report shows.
        package var decisionMilliseconds: Double
    }

    /// What the observer hears, as it happens.
    package enum Event: Sendable {
        /// Detection is over: new events recorded, series scored, series skipped (scored by another aurora).
        case detected(newEvents: Int, scoredSeries: Int, skipped: Int)
        /// One incident's step is complete.
        case incident(IncidentStep)
    }

    /// The whole pass.
    package struct Pass: Sendable {
        package var newEvents: Int
        package var scoredSeries: Int
        package var steps: [IncidentStep]
        /// The signal that interrupted a remediation of this pass; the pass stopped there.
        package var interruptedBy: Int32?
    }

    let context: OperationsContext
    let dryRun: Bool
    let actor: String
    /// The label naming an event's service.
    let serviceLabel: String

    /// Whether each remediation catches SIGINT, SIGTERM and SIGHUP itself (the command line). `aurora watch`
    /// handles them for its whole run (stop the loop, then interrupt the pass's flow) and turns this off.
    package var trapsSignals = true
    /// Called with the pass's remediation flow before it runs anything, so that a caller handling signals
    /// itself can `interrupt(by:)` it.
    package var onFlow: (RemediationFlow) -> Void = { _ in }
    /// How old a stored diagnosis may grow before the loop diagnoses its incident again although nothing
    /// it depends on changed (evidence that arrives as points, not anomaly events, is seen by then);
    /// within it, an open incident is diagnosed again only when its events, span or status, the learned
    /// patterns or the configuration changed, or series that stopped reporting in it reported again.
    /// nil diagnoses every incident afresh: `aurora heal` and `aurora demo` (a person asking wants a
    /// fresh answer); `aurora watch` sets it.
    package var rediagnoseAfter: TimeInterval?
    /// Events that ended before this are no longer grouped into incidents (`aurora watch` with
    /// `watch.retention`: it keeps no points that old); nil groups every event.
    package var groupingHorizon: Date?
    /// While a live source catches up (`aurora watch` after a stop, or a large backfill, read over several
    /// passes), the time up to which every one of its queries has been read; nil when it is caught up.
    /// An incident that reaches past it is neither diagnosed nor remediated in this pass: the points of
    /// the queries still behind are not stored yet, and an analysis without them would rank only the
    /// services whose queries were read further (a query with fewer series reads further in a pass).
    package var sourceCompleteThrough: Date?

    /// A pass over `context`; `dryRun` decides and records everything but executes nothing; `actor`
    /// requests the remediations.
    package init(context: OperationsContext, dryRun: Bool, actor: String, serviceLabel: String = "service") {
        self.context = context
        self.dryRun = dryRun
        self.actor = actor
        self.serviceLabel = serviceLabel
    }

    /// Runs the pass; `observer` hears each step as it completes (for printing or logging while it runs).
    package func run(observer: @escaping (Event) -> Void = { _ in }) async throws -> Pass {
        let onStep: (IncidentStep) -> Void = { observer(.incident($0)) }
        let started = DispatchTime.now().uptimeNanoseconds
        let settings = try DetectionSettings(configuration: context.configuration)
        let detection = try DetectionRun(settings: settings, registry: DetectorRegistry.standard)
        let detected = try await StoredDetection.detect(detection: detection, store: true, serviceLabel: serviceLabel,
                                                              groupingHorizon: groupingHorizon?.unixMilliseconds, context: context)
        observer(.detected(newEvents: detected.events.count, scoredSeries: detected.scoredSeries, skipped: detected.skipped))
        let db = context.store.database
        var steps: [IncidentStep] = []
        let triage: [IncidentStatus] = [.open, .diagnosed, .escalated]
        let (incidents, bases, patterns) = try db.read { db in
            // An incident with a remediation in flight, or one that failed, waits for a human.
            let waiting = Set(try RemediationStore.list(states: [.queued, .approved, .running, .failed, .rolledBack, .interrupted], in: db)
                .compactMap(\.incident))
            let incidents = try IncidentStore.list(in: db, statuses: triage).reversed().filter { !waiting.contains(String($0.id)) }
            return (incidents, try IncidentStore.diagnosisBases(statuses: triage, in: db), try IncidentStore.learnedPatternsGeneration(in: db))
        }
        if incidents.isEmpty {
            return Pass(newEvents: detected.events.count, scoredSeries: detected.scoredSeries, steps: try recover(after: [], observer: onStep))
        }
        let configuration = DiagnosisBasis.fingerprint(of: context.configuration)
        // Built when an incident needs diagnosing: it loads the history of every incident.
        var diagnoser: IncidentDiagnoser?
        let flow = try RemediationFlow(context: context)
        flow.trapsSignals = trapsSignals
        onFlow(flow)
        try flow.recover()
        for incident in incidents {
            // Interrupted (the signal stopped an executor): nothing more starts in this pass.
            if flow.interruption.signal != nil { break }
            var step = IncidentStep(incident: incident.id, services: incident.services, diagnosis: "", viaLearnedPattern: false,
                                    confidence: nil, tier: nil, action: nil, target: nil, outcome: "", remediationID: nil,
                                    resolved: false, notes: [], decisionMilliseconds: 0)
            if let through = sourceCompleteThrough, incident.end > through.unixMilliseconds {
                step.diagnosis = DiagnosisHeadline.notDiagnosed(
                    "the source is catching up: all its queries are read up to \(CivilTime.iso(through.unixMilliseconds)), the incident reaches past it")
                step.outcome = "waiting for the source to catch up"
                steps.append(step)
                onStep(step)
                continue
            }
            let basis = bases[incident.id].map { DiagnosisBasis($0, patterns: patterns, configuration: configuration) }
            let diagnosing = DispatchTime.now().uptimeNanoseconds
            let conclusion: DiagnosisConclusion
            if let rediagnoseAfter, let basis, let stored = basis.reusable(incident, now: context.clock.now(), maxAge: rediagnoseAfter) {
                // Nothing the stored diagnosis depends on changed: the decision is taken on it again.
                conclusion = stored
                step.reusedDiagnosisFrom = basis.row.diagnosed
            } else if let rediagnoseAfter, let basis, let failure = basis.reusableFailure(now: context.clock.now(), maxAge: rediagnoseAfter),
                      try !pointsReach(incident) {
                // It could not be diagnosed for lack of data, and no data came: the analysis (which reads
                // the whole store) would fail again.
                conclusion = .noData(failure.reason)
                step.reusedDiagnosisFrom = failure.at
            } else {
                if diagnoser == nil {
                    var fresh = try IncidentDiagnoser(context: context)
                    // The timeline and the audit trail hear of a diagnosis when its conclusion changes.
                    fresh.recordsRepeatedConclusions = false
                    diagnoser = fresh
                }
                conclusion = DiagnosisConclusion(try await diagnoser!.diagnose(incident), of: incident)
            }
            step.diagnosisMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - diagnosing) / 1e6
            try await decide(incident, on: conclusion, step: &step, flow: flow, started: started)
            if let basis {
                // What the next pass compares: the basis read before diagnosing (events that joined since
                // are news to the next pass), with the status the incident has now. A pass that could not
                // diagnose for lack of data leaves its failure to reuse, unless some stored series reaches the
                // incident's window (its points there may be evidence a retry uses; nothing to reuse then).
                let reached: Bool = if case .noData = conclusion { try pointsReach(incident) } else { false }
                try db.write { db in
                    let status = try IncidentStore.status(of: incident.id, in: db) ?? basis.row.status
                    let text: String? = if case .noData(let reason) = conclusion {
                        reached ? nil : basis.failureText(status: status, reason: reason, at: step.reusedDiagnosisFrom ?? context.clock.now())
                    } else {
                        basis.text(status: status)
                    }
                    if text != basis.row.recorded { try IncidentStore.recordDiagnosisBasis(incident.id, text, in: db) }
                }
            }
            steps.append(step)
            onStep(step)
        }
        if flow.interruption.signal == nil { steps += try recover(after: steps, observer: onStep) }
        return Pass(newEvents: detected.events.count, scoredSeries: detected.scoredSeries, steps: steps,
                    interruptedBy: flow.interruption.signal)
    }

    /// Last, incidents whose condition cleared and stayed clear resolve (`QuietRecovery`). After the triage,
    /// so that every incident is diagnosed (and its decision recorded) at least once: its record says what
    /// it was, and a transient in the middle of a dump is not resolved as an unknown.
    /// What the `triaged` steps said of an incident is what its resolved alert keeps saying.
    private func recover(after triaged: [IncidentStep], observer: (IncidentStep) -> Void) throws -> [IncidentStep] {
        guard let recovery = try QuietRecovery(configuration: context.configuration) else { return [] }
        let unresolved = try context.store.database.read { try IncidentStore.list(in: $0, statuses: [.open, .diagnosed, .escalated, .remediating]) }
        let said = Dictionary(triaged.map { ($0.incident, $0.alertText) }) { _, latest in latest }
        let steps = try recovery.resolve(unresolved.reversed(), said: said, dryRun: dryRun, actor: actor, context: context)
        steps.forEach(observer)
        return steps
    }

    /// Whether some stored series' points reach into the window the analysis reads for `incident` (the
    /// incident and `diagnosis.history-window` before it).
    private func pointsReach(_ incident: IncidentRecord) throws -> Bool {
        let history = Int64(try context.configuration.seconds("diagnosis.history-window") * 1000)
        let end = max(incident.end, incident.start + 1)
        return try context.store.database.read { try SeriesStore.reaching(from: incident.start - history, to: end, in: $0) } > 0
    }

    /// The decision step for one incident on its diagnosis' conclusion: remediate, escalate or wait.
    private func decide(_ incident: IncidentRecord, on conclusion: DiagnosisConclusion, step: inout IncidentStep, flow: RemediationFlow,
                        started: UInt64) async throws {
        let (action, target, confidence): (String?, String?, Double?)
        switch conclusion {
        case .decided(let text, let viaLearnedPattern, let evidence, let recommended, let service, let value, let tier, let measured):
            step.diagnosis = text
            step.confidenceMeasured = measured
            step.viaLearnedPattern = viaLearnedPattern
            step.evidence = evidence
            step.tier = tier
            (action, target, confidence) = (recommended, service, value)
        case .noCandidate:
            step.diagnosis = DiagnosisHeadline.noCandidate
            step.outcome = "escalated to a human"
            return
        case .noData(let reason):
            step.diagnosis = DiagnosisHeadline.notDiagnosed(reason)
            step.outcome = "waiting for more data"
            return
        }
        step.confidence = confidence
        var actingConfidence = confidence
        if let cause = confidence, step.confidenceMeasured, !step.viaLearnedPattern {
            // The cause's confidence assumes a fault; most anomalies are not one (`FaultReality`).
            let reality = try IncidentFaultReality.of(incident.id, context: context)
            let tiers = try context.configuration.confidenceTiers
            actingConfidence = reality.acting(on: cause, tiers: tiers)
            step.faultReality = reality
            step.actingConfidence = actingConfidence
            step.tier = actingConfidence.map { tiers.tier(for: $0) }
            // What the incident's alert is labelled by: whether a person is needed is this decision's. A fresh
            // diagnosis has just recorded its cause's tier over it.
            if let tier = step.tier, tier != incident.tier || step.reusedDiagnosisFrom == nil {
                _ = try context.store.database.write { try IncidentStore.recordDecisionTier(incident.id, tier, in: $0) }
            }
        }
        step.action = action
        step.target = target
        guard let action, let target else {
            step.outcome = "no remediation known for this cause: escalated to a human"
            try escalate(incident.id, step.outcome)
            return
        }
        guard flow.settings.actions[action] != nil else {
            step.outcome = "recommended action `\(action)` is not configured (remediation.actions): escalated to a human"
            try escalate(incident.id, step.outcome)
            return
        }
        step.decisionMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        var request = RemediationRequest(action: action, service: target, incident: String(incident.id), confidence: actingConfidence,
                                         dryRun: dryRun, actor: actor, reason: "heal: incident \(incident.id)")
        // A stuck incident is asked about again on every pass: the same refusal is on record once.
        request.recordsRepeatedRefusal = false
        // The loop acts on its own only while the fault is fresh (`remediation.stale-after`).
        request.evidenceEnd = Date(unixMilliseconds: incident.end)
        let result = try await flow.run(request)
        step.remediationID = result.id
        step.rule = result.rule
        step.unchangedSince = result.unchangedSince
        switch result.kind {
        case .executed:
            let outcome = result.report?.outcome
            var text = "executed: \(outcome?.name ?? "?")"
            if let health = result.report?.health { text += ", health check \(health.passed ? "passed" : "failed")" }
            if let rollback = result.report?.rollback { text += ", rollback \(rollback.succeeded ? "succeeded" : "failed")" }
            step.outcome = text
            step.notes = try IncidentResolution.complete(result, action: action, incident: String(incident.id), automatically: true,
                                                          context: context)
            step.resolved = outcome == .succeeded
        case .queued:
            step.outcome = "queued for approval (\(result.rule)): aurora approve \(result.id ?? 0)"
            try markRemediating(incident.id, "remediation \(result.id ?? 0) (\(action)) queued for approval")
        case .dryRun:
            // The policy says what the request would meet: execution, the approval queue or a person.
            let prefix = RemediationPolicy.dryRunPrefix(result.rule)
            step.outcome = "dry run: " + (!result.rule.hasPrefix("dry-run") ? "would be refused: \(result.reason)"
                : result.reason.hasPrefix(prefix) ? String(result.reason.dropFirst(prefix.count)) : result.reason)
        case .escalated:
            // A critical action, or too little confidence that acting is right: a person takes the incident.
            step.outcome = "\(result.kind.rawValue): \(result.reason)"
            try escalate(incident.id, step.outcome)
        default:
            step.outcome = "\(result.kind.rawValue): \(result.reason)"
        }
    }

    private func escalate(_ id: Int64, _ message: String) throws {
        let now = context.clock.now()
        try context.store.database.write { db in
            _ = try IncidentStore.transition(id, from: [.open, .diagnosed], to: .escalated, message: message, at: now, in: db)
        }
    }

    private func markRemediating(_ id: Int64, _ message: String) throws {
        let now = context.clock.now()
        try context.store.database.write { db in
            _ = try IncidentStore.transition(id, from: [.open, .diagnosed, .escalated], to: .remediating, message: message, at: now, in: db)
        }
    }
}
