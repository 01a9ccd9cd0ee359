import AuroraConfig
import AuroraCore
import AuroraOperations
import AuroraExecutors
import AuroraLive
import AuroraPrometheus
import AuroraRemediation
import AuroraStore
import Foundation

/// `aurora ingest --prometheus`: pulls the configured queries over a window and stores them. A long
/// window is read in rounds of sub-windows within one answer budget, as `aurora watch` catches up, each
/// round stored in its own transaction before the next is asked: memory stays bounded, and a failure
/// half-way keeps what was stored and says where to start again. HTTP goes through the `aurora-http`
/// helper, so this command costs nothing at start-up to the others.
enum PrometheusIngest {
    /// One stored series as the table shows it, its rounds added up.
    struct SeriesSpan {
        var key: SeriesKey
        var points: Int
        var first: Int64?
        var last: Int64?
    }

    /// What was stored, round by round.
    struct Stored {
        var summary = StoreWriteSummary()
        var spans: [SeriesSpan] = []
        var positions: [SeriesKey: Int] = [:]
        var rounds = 0

        mutating func add(_ series: [Series]) {
            for one in series {
                let position = positions[one.key] ?? spans.count
                if position == spans.count {
                    positions[one.key] = position
                    spans.append(SeriesSpan(key: one.key, points: 0, first: nil, last: nil))
                }
                spans[position].points += one.count
                if let first = one.timestamps.first { spans[position].first = min(spans[position].first ?? first, first) }
                if let last = one.timestamps.last { spans[position].last = max(spans[position].last ?? last, last) }
            }
        }
    }

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let configuration = try context.configuration()
        guard let source = try configuration.prometheusSource else {
            throw SimpleFailure(.configuration, "\(configuration.source ?? "the configuration"): sources.prometheus.url is not set")
        }
        guard !source.queries.isEmpty else {
            throw SimpleFailure(.configuration, "\(configuration.source ?? "the configuration"): sources.prometheus.queries is empty")
        }
        let now = context.clock.now()
        let until = try context.arguments.time("until", now: now) ?? now
        let since = try context.arguments.time("since", now: now) ?? now.addingTimeInterval(-(try configuration.watch).backfill)
        guard since <= until else { throw UsageError("--since is after --until") }
        let (pull, secrets) = try PrometheusPull.make(source: source, transport: HelperProcessTransport(), environment: context.environment)
        let redactor = Redactor(secrets: secrets)
        let store = try context.store()
        var stored = Stored()
        let reports: [PrometheusPull.QueryReport]
        do {
            reports = try await RangeIngest(pull: pull).run(window: since.unixMilliseconds...until.unixMilliseconds) { round in
                let several = round.number > 1 || round.estimatedTotal > 1
                let partial = round.queries.contains { !$0.warnings.isEmpty }
                let summary = try StoredData.ingest(
                    round.series, serviceLabel: "service", subject: redactor.redact(source.url),
                    detail: "\(source.queries.count) Prometheus queries, \(round.series.count) series, \(round.points) points"
                        + (several ? ", sub-window \(round.number) (\(IngestCommand.timeText(round.window.lowerBound)) to "
                            + "\(IngestCommand.timeText(round.window.upperBound)))" : "")
                        + (partial ? " (partial)" : ""),
                    store: store, actor: context.actor, at: now)
                stored.summary.add(summary)
                stored.add(round.series)
                stored.rounds = round.number
                if several {
                    context.note("stored sub-window \(round.number) of ~\(max(round.estimatedTotal, round.number)): "
                                 + "\(IngestCommand.timeText(round.window.lowerBound)) to \(IngestCommand.timeText(round.window.upperBound)), "
                                 + Plural.count(round.points, "point"))
                }
            }
        } catch let failure as RangeIngest.Failure {
            for other in failure.others { context.note(redactor.redact(other.description)) }
            let kept = failure.roundsStored == 0
                ? " (nothing stored)"
                : " (failed reading \(IngestCommand.timeText(failure.window.lowerBound)) to \(IngestCommand.timeText(failure.window.upperBound)); "
                    + "the \(failure.roundsStored) sub-window(s) read before it are stored: "
                    + "run again with --since \(IngestCommand.timeText(failure.resumeFrom)) to finish)"
            throw SimpleFailure(failure.error.kind, redactor.redact(failure.error.description) + kept)
        }
        for report in reports where !report.warnings.isEmpty {
            context.note("partial data for \(report.query.displayName): \(report.warnings.joined(separator: "; "))")
        }
        let nonFinite = reports.reduce(0) { $0 + $1.nonFinite }
        if nonFinite > 0 { context.note("skipped \(nonFinite) NaN/Inf samples") }
        render(reports, stored: stored, context: context)
        return .success
    }

    static func render(_ reports: [PrometheusPull.QueryReport], stored: Stored, context: CommandContext) {
        let points = reports.reduce(0) { $0 + $1.points }
        let partial = reports.contains { !$0.warnings.isEmpty }
        let summary = stored.summary
        if context.json {
            context.console.out.line(JSONValue.object([
                ("queries", .array(reports.map { report in
                    .object([("query", .string(report.query.query)), ("metric", .optional(report.query.metric)),
                             ("series", .integer(Int64(report.series))), ("points", .integer(Int64(report.points))),
                             ("skipped_non_finite", .integer(Int64(report.nonFinite))),
                             ("partial", .bool(!report.warnings.isEmpty)), ("warnings", .array(report.warnings.map { .string($0) }))])
                })),
                ("series", .integer(Int64(stored.spans.count))),
                ("points", .integer(Int64(points))),
                ("sub_windows", .integer(Int64(stored.rounds))),
                ("new_points", .integer(Int64(summary.newPoints))),
                ("updated_points", .integer(Int64(summary.updatedPoints))),
                ("unchanged_points", .integer(Int64(summary.unchangedPoints))),
                ("new_series", .integer(Int64(summary.newSeries))),
            ]).rendered())
            return
        }
        var table = TableRenderer(["SERIES", "POINTS", "FROM", "TO"])
        for span in stored.spans {
            table.add([span.key.description, String(span.points),
                       span.first.map(IngestCommand.timeText) ?? "-", span.last.map(IngestCommand.timeText) ?? "-"])
        }
        context.console.out.write(table.render(style: context.style))
        context.console.out.line("stored \(stored.spans.count) series from \(reports.count) queries, \(points) points "
                                 + "(\(summary.newPoints) new, \(summary.updatedPoints) updated, \(summary.unchangedPoints) already stored)"
                                 + (stored.rounds > 1 ? " in \(stored.rounds) sub-windows" : "")
                                 + (partial ? "; the data is partial" : ""))
    }
}
