import AuroraCore
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
        is added when there are several series).
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
        let results: [SeriesDetection]
        let series: [Series]
        if paths.isEmpty {
            if emitScores { throw UsageError("--emit scores needs input files (stored series are scored as events)") }
            return try await StoredDetection.run(detection: detection, context: context)
        }
        let options = try MetricInputs.ingestOptions(context)
        let sources = try MetricInputs.sources(paths, context: context)
        if emitScores && sources.count == 1, let rows = try? readRows(sources[0], options: options) {
            // One series: keep every row in file order, as NAB's scorer aligns results by row.
            series = [rows.series]
            MetricInputs.notes(for: rows.report, context: context)
        } else {
            let result = try ingest(sources, options: options)
            series = result.series
            MetricInputs.notes(for: result.report, context: context)
        }
        ProgressLine.clear(context)
        results = try await detection.run(series.map(finiteOnly))
        if emitScores {
            writeScores(series, results, context: context)
            return .success
        }
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

    static func writeScores(_ series: [Series], _ results: [SeriesDetection], context: CommandContext) {
        let several = series.count > 1
        let writer = ScoreWriter()
        writer.text(several ? "series,timestamp,value,anomaly_score\n" : "timestamp,value,anomaly_score\n")
        for (item, result) in zip(series, results) {
            let label = several ? csvField(item.key.description) : ""
            item.timestamps.withUnsafeBufferPointer { timestamps in
                item.values.withUnsafeBufferPointer { values in
                    result.scores.withUnsafeBufferPointer { scores in
                        for index in 0..<timestamps.count {
                            if several { writer.text(label); writer.byte(0x2C) }
                            writer.timestamp(timestamps[index])
                            writer.byte(0x2C)
                            writer.number(values[index])
                            writer.byte(0x2C)
                            writer.score(index < scores.count ? scores[index] : 0)
                            writer.byte(0x0A)
                            if writer.isFull {
                                context.console.out.write(bytes: writer.bytes)
                                writer.clear()
                            }
                        }
                    }
                }
            }
        }
        context.console.out.write(bytes: writer.bytes)
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
