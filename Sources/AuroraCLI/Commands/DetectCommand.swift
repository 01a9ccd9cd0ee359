import AuroraCore
import AuroraOperations
import AuroraDetection
import AuroraIngest
import AuroraStore
import Foundation

/// `aurora detect FILE…|-`: anomaly events (or per-point scores) from metric dumps or stored series.
enum DetectCommand {
    static let spec = CommandSpec(
        "detect",
        summary: "find anomalies in metric dumps or stored series",
        discussion: """
        Runs the detectors (by default the ensemble of statistical detectors plus the configured rules) over \
        every series, in parallel, and prints anomaly events: consecutive anomalous points coalesced, with the \
        peak, the expected range, the score and the detectors that voted. Every detector is causal: a \
        point's score uses only that point and the ones before it.

        With no FILE, the series stored by `aurora ingest` are scored from where the last run stopped (a \
        per-series watermark and saved detector state), so a cron job never reports the same point twice.

        Events are recorded in the database unless --no-store. --emit scores prints the NAB results format \
        instead: CSV timestamp,value,anomaly_score with one row per input row in input order (a series column \
        is added when there are several series; NaN rows are kept and scored as gaps). A NAB file streams: \
        rows are written while it is read, in flat memory, and a malformed row ends the output there (exit 65).
        """,
        options: [
            .value("detector", short: "d", "NAME[,NAME]", repeatable: true,
                   "run these detectors instead of the default ensemble (see `aurora detect --list-detectors`)"),
            .flag("list-detectors", "list the available detectors and exit"),
            .value("emit", "WHAT", kind: .choice(["events", "scores"]), default: "events",
                   "events (a table, --json or --jsonl) or scores (CSV, one row per input point)"),
            .flag("jsonl", "print one JSON event per line"),
            .flag("exit-code", short: "e", "exit 1 when any anomaly event was found"),
            .flag("no-store", "do not record events or advance watermarks in the database"),
        ] + MetricInputs.options,
        arguments: [ArgumentSpec("FILE", kind: .file, optional: true, variadic: true,
                                 "metric dumps, directories, or - for standard input (default: stored series)")],
        examples: [
            "aurora detect metrics.csv",
            "zcat dump.jsonl.gz | aurora detect --jsonl -",
            "aurora detect --detector zscore --emit scores nab/realTweets/Twitter_volume_AAPL.csv",
            "aurora detect --exit-code --no-store export/ || page-oncall",
        ],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let registry = DetectorCatalogue.registry
        if context.arguments.flag("list-detectors") {
            for name in registry.names { context.console.out.line(name) }
            return .success
        }
        let settings = try DetectorCatalogue.settings(context)
        let chosen = context.arguments.list("detector")
        let emitScores = context.arguments.value("emit") == "scores"
        let detection: DetectionRun
        do {
            detection = try DetectionRun(settings: settings, registry: registry, detectors: chosen.isEmpty ? nil : chosen,
                                         includeRules: chosen.isEmpty, emitScores: emitScores)
        } catch let error as DetectionError {
            throw UsageError(error.description)
        }
        let paths = context.arguments.positionals
        if paths.isEmpty {
            if emitScores { throw UsageError("--emit scores needs input files (stored series are scored as events)") }
            return try await StoredDetection.run(detection: detection, context: context)
        }
        if emitScores {
            return try await writeScores(paths, detection: detection, context: context)
        }
        let options = try MetricInputs.ingestOptions(context)
        let sources = try MetricInputs.sources(paths, context: context)
        let result = try ingest(sources, options: options)
        let series = result.series
        MetricInputs.notes(for: result.report, context: context)
        ProgressLine.clear(context)
        let results = try await detection.run(series.map(finiteOnly))
        let events = results.flatMap(\.events)
        if !context.arguments.flag("no-store") {
            try record(events, series: series, source: sources.map(\.displayName).joined(separator: ", "), context: context)
        }
        render(events, context: context)
        return context.arguments.flag("exit-code") && !events.isEmpty ? .findings : .success
    }

    /// Rows kept in file order may carry NaN; detectors see them as gaps via a finite-only copy, but
    /// the score row count must match, so NaN rows are scored as the previous value.
    static func finiteOnly(_ series: Series) -> Series {
        guard series.values.contains(where: { !$0.isFinite }) else { return series }
        var copy = series
        var last = 0.0
        for index in copy.values.indices {
            if copy.values[index].isFinite { last = copy.values[index] } else { copy.values[index] = last }
        }
        return copy
    }

    /// Records the events, and the series they came from so `aurora diagnose` can analyse them, in one
    /// transaction.
    static func record(_ events: [AnomalyEvent], series: [Series], source: String, context: CommandContext) throws {
        let now = context.clock.now()
        let serviceLabel = context.arguments.value("service-label") ?? "service"
        let records = events.map { event in
            AnomalyRecord(seriesKey: event.series.description, service: event.service ?? event.series[label: serviceLabel], start: event.start, end: event.end,
                          peakTime: event.peakTimestamp, peakValue: event.peakValue, expectedLow: event.expectedLow,
                          expectedHigh: event.expectedHigh, score: event.score,
                          detectors: event.detectors.joined(separator: ","), recorded: now, source: source)
        }
        let store = try context.store()
        try store.database.write { db in
            _ = try SeriesStore.store(series, serviceLabel: serviceLabel, at: now, in: db)
            let added = try AnomalyEventStore.record(records, in: db)
            if added > 0 {
                try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "anomaly.published",
                                               subject: source, detail: "\(added) event(s)", outcome: "recorded"), to: db)
            }
            try IncidentStore.groupUnassignedEvents(gap: try IncidentSettings.gapMilliseconds(context), at: now, in: db)
        }
    }

    static func render(_ events: [AnomalyEvent], context: CommandContext) {
        let out = context.console.out
        if context.arguments.flag("jsonl") {
            for event in events { out.line(EventRendering.json(event).rendered()) }
        } else if context.json {
            out.line(JSONValue.object([("events", .array(events.map(EventRendering.json)))]).rendered())
        } else if events.isEmpty {
            context.note("no anomalies")
        } else {
            out.write(EventRendering.table(events, style: context.style))
        }
    }

    /// `--emit scores`: one NAB file streams (parsed, scored and written a block at a time); other
    /// inputs are read whole, every series' rows in file order, and scored in parallel.
    static func writeScores(_ paths: [String], detection: DetectionRun, context: CommandContext) async throws -> ExitStatus {
        var options = try MetricInputs.ingestOptions(context)
        // Rows appear as they are scored: a progress line would only interleave with them.
        options.progress = nil
        let sources = try MetricInputs.sources(paths, context: context)
        let output = ScoreStream(detection: detection, output: context.console.out)
        let series: [Series]
        let report: IngestReport
        if sources.count == 1 {
            var started = false
            let delivery = try streamRows(sources[0], options: options) { block in
                if !started { output.header(labelled: false) }
                started = true
                try output.write(block.key, timestamps: block.timestamps, values: block.values, labelled: false)
            }
            switch delivery {
            case .streamed(_, let streamedReport):
                if !started { output.header(labelled: false) }
                output.finish()
                MetricInputs.notes(for: streamedReport, context: context, rowsKept: true)
                return .success
            case .whole(let read, let readReport):
                (series, report) = (read, readReport)
            }
        } else {
            var merged = options
            merged.keepFileOrder = true
            let result = try ingest(sources, options: merged)
            (series, report) = (result.series, result.report)
        }
        MetricInputs.notes(for: report, context: context, rowsKept: true)
        let results = try await detection.run(series.map(finiteOnly))
        let labelled = series.count > 1
        output.header(labelled: labelled)
        for (item, result) in zip(series, results) {
            item.timestamps.withUnsafeBufferPointer { timestamps in
                item.values.withUnsafeBufferPointer { values in
                    result.scores.withUnsafeBufferPointer { scores in
                        output.writeRows(label: labelled ? item.key.description : nil, timestamps: timestamps,
                                         values: values, scores: scores)
                    }
                }
            }
        }
        output.finish()
        return .success
    }
}
