import AuroraConfig
import AuroraCore
import AuroraLearning
import AuroraStore
import Foundation

/// `aurora slo`: the self-healing loop's service-level objectives, measured from the database.
enum SLOCommand {
    static let spec = CommandSpec(
        "slo",
        summary: "report MTTR, detection latency, precision, auto-resolution and rollback rate against their targets",
        discussion: """
        Every figure is measured in the data's own time, so a dump analysed months later reads as it \
        happened. MTTR: from an incident's first anomalous point to the evidence it was resolved (its last \
        anomalous point, or its resolution while the data is live), over resolved incidents that were not false positives. Detection latency: from an \
        anomaly's first point to the point of the data at which aurora detected it. \
        Precision: the share of incidents not marked false positives (`aurora incidents mark`). \
        Auto-resolution: the share of resolved incidents resolved by a verified remediation without a human. \
        Rollback rate: the share of executed remediations that were rolled back. Each has its target from the \
        `slo:` configuration, the measured value and the sample size; known-pattern (immunised) and \
        new-pattern incidents are also shown apart.
        """,
        options: [
            .value("since", "TIME", kind: .time, "only incidents that started at or after this time"),
            .value("service", short: "s", "SERVICE", "only incidents involving this service"),
            .flag("exit-code", short: "e", "exit 1 when any objective is missed"),
        ],
        examples: ["aurora slo", "aurora slo --since -7d --service checkout --json", "aurora slo --exit-code || notify"],
        handler: run)

    static func targets(_ configuration: Configuration) -> ServiceLevelTargets {
        var targets = ServiceLevelTargets()
        if let value = configuration.value("slo.mttr")?.seconds { targets.mttrSeconds = value }
        if let value = configuration.value("slo.detection-latency")?.seconds { targets.detectionLatencySeconds = value }
        if let value = configuration.value("slo.precision")?.double { targets.precision = value }
        if let value = configuration.value("slo.auto-resolution")?.double { targets.autoResolution = value }
        if let value = configuration.value("slo.rollback-rate")?.double { targets.rollbackRate = value }
        return targets
    }

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let store = try context.existingStore()
        let since = try context.arguments.time("since", now: context.clock.now())?.unixMilliseconds ?? Int64.min
        let service = context.arguments.value("service")
        let facts = try store.database.read { db in try ServiceLevelFacts.gather(since: since, service: service, in: db) }
        let report = ServiceLevelReport.compute(incidents: facts.incidents, detectionLatencies: facts.detectionLatencies,
                                                executedRemediations: facts.executedRemediations, rolledBack: facts.rolledBack,
                                                targets: targets(try context.configuration()))
        let kinds = ServiceLevelReport.recoveryByKind(facts.incidents)
        if context.json {
            context.console.out.line(JSONValue.object([
                ("objectives", .array(report.map { level in
                    .object([("name", .string(level.name)), ("unit", .string(level.unit)), ("target", .number(level.target)),
                             ("comparison", .string(level.comparison.rawValue)),
                             ("value", level.value.map { .number(($0 * 1000).rounded() / 1000) } ?? .null),
                             ("samples", .integer(Int64(level.samples))), ("passes", .bool(level.passes))])
                })),
                ("mttr_known_pattern_seconds", kinds.known.map { .number($0.rounded()) } ?? .null),
                ("mttr_new_pattern_seconds", kinds.new.map { .number($0.rounded()) } ?? .null),
                ("clock", .string("data")),
            ]).rendered())
        } else {
            var table = TableRenderer(["OBJECTIVE", "TARGET", "MEASURED", "SAMPLES", "STATUS"])
            for level in report {
                let status = level.value == nil ? "no data" : (level.passes ? "pass" : "FAIL")
                table.add([level.name, (level.comparison == .below ? "< " : "> ") + format(level.target, unit: level.unit),
                           level.value.map { format($0, unit: level.unit) } ?? "-", String(level.samples),
                           level.passes ? (level.value == nil ? status : context.style.green(status)) : context.style.red(status)])
            }
            context.console.out.write(table.render(style: context.style))
            context.console.out.line()
            context.console.out.line("MTTR by kind: known patterns \(kinds.known.map { format($0, unit: "s") } ?? "-"), "
                                     + "new patterns \(kinds.new.map { format($0, unit: "s") } ?? "-")")
            context.console.out.line("clock: the data's own timestamps (from an incident's first anomalous point to its detection, and to its resolution — over a dump, its last anomalous point)")
        }
        let failed = report.contains { !$0.passes }
        return context.arguments.flag("exit-code") && failed ? .findings : .success
    }

    static func format(_ value: Double, unit: String) -> String {
        unit == "s" ? DurationText.format(value.rounded()) : String(format: "%.1f%%", value * 100)
    }
}

/// What the SLO report reads from the database.
struct ServiceLevelFacts {
    var incidents: [IncidentFacts] = []
    var detectionLatencies: [Double] = []
    var executedRemediations = 0
    var rolledBack = 0

    static func gather(since: Int64, service: String?, in db: Database) throws -> ServiceLevelFacts {
        var facts = ServiceLevelFacts()
        let rows = try db.query("""
            SELECT id, services, start_ms, detected_ms, resolved_ms, auto_resolved, false_positive, learned_pattern_id, end_ms
            FROM incidents WHERE start_ms >= ? ORDER BY id
            """, [.integer(since)])
        var kept: [Int64] = []
        let dataEnd = try db.scalar("SELECT max(last_ms) FROM series")?.int64
        for row in rows {
            let services = (row[1].string ?? "").split(separator: ",").map(String.init)
            if let service, !services.contains(service) { continue }
            kept.append(row[0].int64 ?? 0)
            // The data's own clock: over a dump, a resolved incident's recovery is evidenced by its last
            // anomalous point, not by when someone ran `aurora heal` (which could be months later).
            let start = row[2].int64 ?? 0
            let resolved = row[4].int64.map {
                DataClock.resolution(start: start, anomalyEnd: row[8].int64 ?? start, resolved: $0, dataEnd: dataEnd)
            }
            facts.incidents.append(IncidentFacts(
                start: Double(start) / 1000, detected: Double(row[3].int64 ?? 0) / 1000,
                resolved: resolved.map { Double($0) / 1000 }, resolvedAutomatically: (row[5].int64 ?? 0) != 0,
                falsePositive: (row[6].int64 ?? 0) != 0, knownPattern: row[7].int64 != nil))
        }
        for row in try db.query("SELECT start_ms, recorded_ms, service FROM anomaly_events WHERE start_ms >= ?", [.integer(since)]) {
            if let service, row[2].string != service { continue }
            facts.detectionLatencies.append(max(0, Double((row[1].int64 ?? 0) - (row[0].int64 ?? 0)) / 1000))
        }
        let (executed, rolledBack) = try RemediationFacts.counts(since: since, service: service, in: db)
        facts.executedRemediations = executed
        facts.rolledBack = rolledBack
        return facts
    }
}

/// Executed and rolled-back remediations: every remediation that started running and finished.
enum RemediationFacts {
    static func counts(since: Int64, service: String?, in db: Database) throws -> (executed: Int, rolledBack: Int) {
        var sql = """
            SELECT count(*), coalesce(sum(state = 'rolled_back'), 0) FROM remediations
            WHERE started_ms IS NOT NULL AND started_ms >= ? AND state IN ('succeeded', 'failed', 'rolled_back')
            """
        var values: [SQLValue] = [.integer(since)]
        if let service {
            sql += " AND service = ?"
            values.append(.text(service))
        }
        guard let row = try db.query(sql, values).first else { return (0, 0) }
        return (Int(row[0].int64 ?? 0), Int(row[1].int64 ?? 0))
    }
}
