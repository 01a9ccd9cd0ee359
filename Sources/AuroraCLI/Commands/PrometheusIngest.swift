import AuroraConfig
import AuroraCore
import AuroraOperations
import AuroraExecutors
import AuroraLive
import AuroraPrometheus
import AuroraRemediation
import AuroraStore
import Foundation

/// `aurora ingest --prometheus`: pulls the configured queries over a window and stores them, as
/// one transaction, like any other ingest. HTTP goes through the `aurora-http` helper, so this
/// command costs nothing at start-up to the others.
enum PrometheusIngest {
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
        let result = await pull.fetch(window: since.unixMilliseconds...until.unixMilliseconds)
        for report in result.queries where !report.warnings.isEmpty {
            context.note("partial data for \(report.query.displayName): \(report.warnings.joined(separator: "; "))")
        }
        if let failure = result.errors.first(where: \.isQueryFault) ?? result.errors.first {
            // One ingest is one transaction: nothing is stored when a query failed.
            for other in result.errors where other != failure { context.note(redactor.redact(other.description)) }
            throw SimpleFailure(failure.kind, redactor.redact(failure.description) + " (nothing stored)")
        }
        let summary = try StoredData.ingest(result.series, serviceLabel: "service", subject: redactor.redact(source.url),
                                            detail: "\(source.queries.count) Prometheus queries, \(result.series.count) series, \(result.points) points"
                                                + (result.isPartial ? " (partial)" : ""),
                                            store: try context.store(), actor: context.actor, at: now)
        let nonFinite = result.queries.reduce(0) { $0 + $1.nonFinite }
        if nonFinite > 0 { context.note("skipped \(nonFinite) NaN/Inf samples") }
        render(result, summary: summary, context: context)
        return .success
    }

    static func render(_ result: PrometheusPull.Result, summary: StoreWriteSummary, context: CommandContext) {
        if context.json {
            context.console.out.line(JSONValue.object([
                ("queries", .array(result.queries.map { report in
                    .object([("query", .string(report.query.query)), ("metric", .optional(report.query.metric)),
                             ("series", .integer(Int64(report.series))), ("points", .integer(Int64(report.points))),
                             ("skipped_non_finite", .integer(Int64(report.nonFinite))),
                             ("partial", .bool(!report.warnings.isEmpty)), ("warnings", .array(report.warnings.map { .string($0) }))])
                })),
                ("series", .integer(Int64(result.series.count))),
                ("points", .integer(Int64(result.points))),
                ("new_points", .integer(Int64(summary.newPoints))),
                ("updated_points", .integer(Int64(summary.updatedPoints))),
                ("unchanged_points", .integer(Int64(summary.unchangedPoints))),
                ("new_series", .integer(Int64(summary.newSeries))),
            ]).rendered())
            return
        }
        var table = TableRenderer(["SERIES", "POINTS", "FROM", "TO"])
        for series in result.series {
            table.add([series.key.description, String(series.count),
                       series.timestamps.first.map(IngestCommand.timeText) ?? "-", series.timestamps.last.map(IngestCommand.timeText) ?? "-"])
        }
        context.console.out.write(table.render(style: context.style))
        context.console.out.line("stored \(result.series.count) series from \(result.queries.count) queries, \(result.points) points "
                                 + "(\(summary.newPoints) new, \(summary.updatedPoints) updated, \(summary.unchangedPoints) already stored)"
                                 + (result.isPartial ? "; the data is partial" : ""))
    }
}
