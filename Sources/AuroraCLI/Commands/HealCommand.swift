import AuroraCore
import AuroraOperations
import AuroraIngest
import AuroraStore
import Foundation

/// `aurora heal FILE…|--stored`: the whole loop, printing each step.
enum HealCommand {
    static let spec = CommandSpec(
        "heal",
        summary: "run the whole loop: detect, diagnose, decide, remediate, verify, learn",
        discussion: """
        Stores the given metric dumps (as aurora ingest does), or with --stored uses what is already stored, \
        then: detects new anomalies and groups them into incidents; diagnoses each unresolved incident (through \
        a learned pattern when one immunises it, else by root-cause analysis); picks the recommended \
        remediation and runs it through the remediation flow with the probability that acting is right: \
        that the fault is real (1 when a detection rule fired, else its strongest anomaly's confidence) \
        times the cause's confidence (kill switches, \
        freeze windows, rate limits, risk × confidence tier with the lines of diagnosis.confidence-tiers, \
        governance); verifies health and rolls back on failure; resolves the incident and learns from it when \
        the fix is verified. An incident whose remediation is queued, running or failed is left for a human. \
        An incident whose last anomaly is older than remediation.stale-after (default 15m) is diagnosed and \
        recorded, but a remediation that would execute by itself is refused (rule stale.incident): the fault is \
        no longer seen, as in an old dump; --dry-run shows the same, and a person can still act with aurora \
        remediate. A remediation refused or escalated again for the same reason as the incident's latest one is not \
        recorded again: the step says "still refused: REASON (since TIME, remediation ID)". With --dry-run the \
        audit entry is written again only when the decision changes, or a day after the last identical one. \
        Last, an incident whose series stayed quiet for diagnosis.recovered-after (default 30m; no anomaly on \
        them, all reporting past the period: over a dump, not one at its very end) and that has no remediation \
        queued or in hand is resolved as "recovered without action" (audited incident.recovered, nothing \
        learned; --dry-run only says so). Run it from cron for a self-healing loop.

        Exit status: 0 when every incident was resolved (recovered included) or nothing needed doing; 1 when an incident was left \
        for a human (its remediation refused by a rule such as a cooldown or a kill switch, queued for \
        approval, failed, or escalated), the step saying which; 64 for usage errors.
        """,
        options: [
            .flag("stored", "use the stored series only (no files)"),
            .flag("dry-run", "decide and show everything, execute nothing"),
            .value("actor", "NAME", env: "AURORA_ACTOR", "who is acting (default: aurora)"),
        ] + MetricInputs.options,
        arguments: [ArgumentSpec("FILE", kind: .file, optional: true, variadic: true, "metric dumps to store first, or - for standard input")],
        examples: ["aurora heal export/", "aurora heal --stored --dry-run", "*/1 * * * * aurora heal --stored --quiet"],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let paths = context.arguments.positionals
        if paths.isEmpty && !context.arguments.flag("stored") {
            throw UsageError("give metric dumps to heal from, or --stored to use the stored series")
        }
        if !paths.isEmpty {
            let options = try MetricInputs.ingestOptions(context)
            let result = try ingest(try MetricInputs.sources(paths, context: context), options: options)
            ProgressLine.clear(context)
            let now = context.clock.now()
            let summary = try context.store().database.write { db in
                try SeriesStore.store(result.series, serviceLabel: options.serviceLabel, at: now, in: db)
            }
            MetricInputs.notes(for: result.report, context: context)
            report(context, "ingest", "\(result.series.count) series, \(summary.newPoints) new points")
        }
        let pass = try await HealingPass(context: try context.operations(existingStore: true), dryRun: context.arguments.flag("dry-run"),
                                         actor: context.arguments.value("actor") ?? "aurora",
                                         serviceLabel: context.arguments.value("service-label") ?? "service").run { event in
            if case .incident(let step) = event, !context.json { render(step, context: context) }
        }
        if context.json {
            context.console.out.line(JSONValue.object([
                ("new_events", .integer(Int64(pass.newEvents))),
                ("incidents", .array(pass.steps.map(json))),
            ]).rendered())
        } else if pass.steps.isEmpty {
            report(context, "detect", pass.newEvents == 0 ? "no new anomalies" : Plural.count(pass.newEvents, "new anomaly event"))
            context.note("nothing to heal")
        }
        try noteStale(pass.steps, context: context)
        if let signal = pass.interruptedBy { return ExitStatus(interruptedBy: signal) }
        // An incident's last step says where it stands (one refused, then recovered in the same pass, is resolved).
        let last = Dictionary(pass.steps.map { ($0.incident, $0) }) { _, latest in latest }
        let stuck = last.values.contains { !$0.resolved && !$0.outcome.hasPrefix("dry run") && !$0.outcome.hasPrefix("queued") }
        return stuck ? .findings : .success
    }

    /// Over an old dump every incident is stale: say once, plainly, why nothing ran and what a person can do.
    static func noteStale(_ steps: [HealingPass.IncidentStep], context: CommandContext) throws {
        let recovered = Set(steps.filter { $0.recoveredAfter != nil }.map(\.incident))
        let stale = steps.filter { $0.rule == StaleIncidentNote.rule && !recovered.contains($0.incident) }
        guard !stale.isEmpty else { return }
        let limit = DurationText.format(try context.configuration().seconds("remediation.stale-after"))
        context.note(StaleIncidentNote.text(incidents: stale.map(\.incident), limit: limit))
    }

    static func report(_ context: CommandContext, _ step: String, _ text: String) {
        guard !context.json else { return }
        context.console.out.line(context.style.bold(step.padding(toLength: 12, withPad: " ", startingAt: 0)) + text)
    }

    static func render(_ step: HealingPass.IncidentStep, context: CommandContext) {
        let style = context.style
        context.console.out.line(style.bold("incident \(step.incident)") + " (\(DiagnoseCommand.servicesLine(step.services)))")
        if step.recoveredAfter != nil {
            // Nothing was diagnosed or decided: the data showed the condition cleared and stayed clear.
            report(context, step.resolved ? "  recovered" : "  recover", step.outcome)
            return
        }
        report(context, "  diagnose", step.diagnosis + (causeText(step).map { " — " + $0 } ?? ""))
        if let weighing = step.weighing { report(context, "  decide", weighing) }
        if let action = step.action, let target = step.target {
            // A decision already on record is not recorded again: say it stands, and since when.
            let outcome = step.unchangedSince.map { "still \(step.outcome) (since \(TimeText.iso($0)), remediation \(step.remediationID ?? 0))" }
                ?? step.outcome
            report(context, "  remedy", "\(action) on \(target): \(outcome)")
        } else {
            report(context, "  remedy", step.outcome)
        }
        for note in step.notes { report(context, note.hasPrefix("incident") ? "  resolve" : "  learn", note) }
    }

    /// The diagnose line's end: "confidence in the cause 97%, auto"; the tier only when the cause alone
    /// decided (through a learned pattern, or with nothing measured). nil without a cause.
    static func causeText(_ step: HealingPass.IncidentStep) -> String? {
        guard let confidence = step.confidence else { return nil }
        let tier = step.faultReality == nil ? step.tier.map { ", \($0.rawValue)" } ?? "" : ""
        return "confidence in the cause " + confidenceText(confidence, measured: step.confidenceMeasured) + tier
    }

    /// `82%`; for a cause that rests on series that stopped reporting, that nothing was measured (its 0 is no value).
    static func confidenceText(_ confidence: Double, measured: Bool) -> String {
        measured ? String(format: "%.0f%%", confidence * 100) : "not measured (its series stopped reporting)"
    }

    static func json(_ step: HealingPass.IncidentStep) -> JSONValue {
        .object([
            ("incident", .integer(step.incident)), ("services", .array(step.services.map { .string($0) })),
            ("diagnosis", .string(step.diagnosis)), ("via_learned_pattern", .bool(step.viaLearnedPattern)),
            ("confidence", step.confidence.map { .number(($0 * 1000).rounded() / 1000) } ?? .null),
            ("confidence_measured", step.confidence == nil ? .null : .bool(step.confidenceMeasured)),
            ("fault_probability", step.faultReality.map { $0.probability.map { .number(($0 * 1000).rounded() / 1000) } ?? .null } ?? .null),
            ("fault_basis", .optional(step.faultReality?.basisName)),
            ("acting_confidence", step.actingConfidence.map { .number(($0 * 1000).rounded() / 1000) } ?? .null),
            ("tier", .optional(step.tier?.rawValue)), ("action", .optional(step.action)), ("target", .optional(step.target)),
            ("outcome", .string(step.outcome)), ("remediation", step.remediationID.map { .integer($0) } ?? .null), ("rule", .optional(step.rule)),
            ("unchanged_since", .time(step.unchangedSince)),
            ("resolved", .bool(step.resolved)), ("notes", .array(step.notes.map { .string($0) })),
            ("recovered_after_seconds", step.recoveredAfter.map { .number($0) } ?? .null),
        ])
    }
}
