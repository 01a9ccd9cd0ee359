import AuroraCore
import AuroraOperations
import AuroraIngest
import AuroraStore
import Foundation

/// `aurora ingest FILE…`: stores metric dumps in the database, idempotently, all or nothing.
enum IngestCommand {
    static let spec = CommandSpec(
        "ingest",
        summary: "store metric dumps in the database",
        discussion: """
        Reads every input (files, directories recursively, - for standard input), in any supported format \
        (sniffed from the content: NAB CSV, long CSV, wide CSV, JSON lines and VictoriaMetrics export, \
        Prometheus API JSON, Prometheus \
        text exposition and promtool tsdb dump output, InfluxDB line protocol, CloudWatch get-metric-data \
        JSON), and stores the series. \
        Ingesting the same data twice stores each point once. One invocation is one transaction: when any \
        input is malformed, nothing is stored and the error names file:line:column (exit 65), unless \
        --skip-bad-lines counts and reports bad lines instead. With --prometheus, pulls every query of \
        sources.prometheus over --since (default: watch.backfill) to --until (default: now) from the live API \
        instead of reading files, in rounds of sub-windows of about 750,000 points for all queries together, \
        each stored in its own transaction (progress on standard error): a refused query (400, 422) is named \
        (exit 78), an unreachable server exits 69 after retries, the rounds stored before a failure stay and \
        the message names the failed part and the --since that finishes the job, and a partial answer (the \
        server's warnings) is stored and said so. --rate stores counters as per-second rates, under the counter's name with :rate appended (see COUNTERS in aurora(1)); \
        --json says of each series whether it is a counter (declared or by its shape) and whether it was rated.
        """,
        options: [.flag("prometheus", "pull the configured Prometheus queries (sources.prometheus) instead of reading files")]
            + MetricInputs.options,
        arguments: [ArgumentSpec("FILE", kind: .file, optional: true, variadic: true, "metric dumps, directories, or - for standard input")],
        examples: [
            "aurora ingest dumps/",
            "curl -s 'http://prom:9090/api/v1/query_range?…' | aurora ingest -",
            "aurora ingest --match 'latency_ms{service=\"checkout\"}' export.csv",
            "aurora ingest --prometheus --since 6h",
        ],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        if context.arguments.flag("prometheus") {
            guard context.arguments.positionals.isEmpty else { throw UsageError("--prometheus reads no files: give either files or --prometheus") }
            return try await PrometheusIngest.run(context)
        }
        guard !context.arguments.positionals.isEmpty else {
            throw UsageError("give metric dumps to ingest (files, directories, - for standard input), or --prometheus")
        }
        let options = try MetricInputs.ingestOptions(context)
        let sources = try MetricInputs.sources(context.arguments.positionals, context: context)
        let result = try ingest(sources, options: options)
        ProgressLine.clear(context)
        let summary = try StoredData.ingest(result.series, serviceLabel: options.serviceLabel,
                                            subject: result.report.inputs.map(\.name).joined(separator: ", "),
                                            detail: "\(result.series.count) series, \(result.report.totalPoints) points",
                                            store: try context.store(), actor: context.actor, at: context.clock.now())
        MetricInputs.notes(for: result.report, context: context)
        render(result.report, summary: summary, context: context)
        return .success
    }

    /// Renders the report. Both forms are written series by series, never built whole: an input with a
    /// million series (a wide CSV) must not need a million rows of text in memory at once.
    static func render(_ report: IngestReport, summary: StoreWriteSummary, context: CommandContext) {
        if context.json {
            // Exactly what JSONValue.object(…).rendered() prints, with the series array streamed.
            let inputs = JSONValue.array(report.inputs.map { input in
                .object([("name", .string(input.name)), ("format", .string(input.format.rawValue)),
                         ("bytes", .integer(Int64(input.bytes))), ("points", .integer(Int64(input.points))),
                         ("skipped_non_finite", .integer(Int64(input.skippedNonFinite))),
                         ("bad_lines", .integer(Int64(input.badLines)))])
            })
            var out = "{\"inputs\":" + inputs.rendered() + ",\"series\":["
            for (index, series) in report.series.enumerated() {
                if index > 0 { out += "," }
                out += seriesJSON(series).rendered()
                if out.utf8.count >= 1 << 20 {
                    context.console.out.write(out)
                    out = ""
                }
            }
            let tail: [(String, JSONValue)] = [
                ("points", .integer(Int64(report.totalPoints))),
                ("new_points", .integer(Int64(summary.newPoints))),
                ("updated_points", .integer(Int64(summary.updatedPoints))),
                ("unchanged_points", .integer(Int64(summary.unchangedPoints))),
                ("new_series", .integer(Int64(summary.newSeries))),
                // For capacity planning (how much memory a dump of this size takes); absent off Linux.
                ("peak_memory_bytes", ProcessMemory.peakResidentBytes().map { .integer(Int64($0)) } ?? .null),
            ]
            out += "]"
            for (key, value) in tail { out += "," + JSONValue.string(key).rendered() + ":" + value.rendered() }
            context.console.out.line(out + "}")
            return
        }
        TableRenderer.stream(headers: ["SERIES", "POINTS", "FROM", "TO", "STEP", "GAPS"], count: report.series.count,
                             style: context.style, row: { index in
            let series = report.series[index]
            return [series.key.description, String(series.points), series.first.map(timeText) ?? "-",
                    series.last.map(timeText) ?? "-", series.step.map { DurationText.format(Double($0) / 1000) } ?? "-",
                    String(series.gapCount)]
        }, emit: { context.console.out.write($0) })
        context.console.out.line("stored \(report.series.count) series, \(report.totalPoints) points "
                                 + "(\(summary.newPoints) new, \(summary.updatedPoints) updated, \(summary.unchangedPoints) already stored)")
    }

    static func seriesJSON(_ series: SeriesReport) -> JSONValue {
        .object([
            ("series", .string(series.key.description)), ("service", .optional(series.service)),
            ("points", .integer(Int64(series.points))),
            ("from", series.first.map { .string(timeText($0)) } ?? .null),
            ("to", series.last.map { .string(timeText($0)) } ?? .null),
            ("step_seconds", series.step.map { .number(Double($0) / 1000) } ?? .null),
            ("duplicates", .integer(Int64(series.duplicates))),
            ("skipped_non_finite", .integer(Int64(series.skippedNonFinite))),
            // "declared" (named or typed a counter), "shape" (only rises), null (a gauge); whether
            // --rate turned it into a per-second rate, and the resets that rating handled.
            ("counter", .optional(series.counter?.rawValue)),
            ("rated", .bool(series.isRate)),
            ("counter_resets", .integer(Int64(series.counterResets))),
            ("gaps", .array(series.gaps.map { gap in
                .object([("after", .string(timeText(gap.after))), ("before", .string(timeText(gap.before))),
                         ("missing_points", .integer(Int64(gap.missingPoints)))])
            })),
        ])
    }

    static func timeText(_ milliseconds: Int64) -> String { TimeText.iso(Date(unixMilliseconds: milliseconds)) }
}
