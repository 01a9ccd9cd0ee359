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
        point's score uses only that point and the ones before it. The expected range is what the seasonal \
        detector expected at that time of day or week (the running range where it has no view yet); the \
        direction is up or down from it (for `drift`, a lasting shift, the side of its middle), flat when \
        `stuck` saw a frozen value, within when a configured rule fired on something else (absent data, a \
        threshold held for its `for:`). An event whose peak lies inside its expected range for any other \
        reason is set aside and counted.

        A cumulative counter scored raw is one long climb: it pages at its resets and changes of pace and \
        hides what its rate does. Each one (named …_total, typed counter in an exposition, or any series that \
        only rises apart from rare resets to near zero) gets a note on standard error; --rate scores its \
        per-second rate instead.

        A series with less history than the detector remembers (6000 points by default: three weeks of \
        5-minute data, a day of 15 s scrapes) has routine extremes it has not seen yet, and pages several \
        times as often on noise; its events say so (short_history in --json) and a note on standard error \
        counts them.

        Each event's confidence is the probability, fitted on labelled outcomes from its peak score, that it \
        marks a real fault: about 28% at the paging threshold, 70% at a score of 1 (EVENT CONFIDENCE in \
        aurora(1); `aurora eval` grades it on your labels). An event only configured rules raised has none. \
        --min-confidence P reports (and --exit-code counts) only events at least P likely, and rule events; \
        the others are still recorded.

        With no FILE, the series stored by `aurora ingest` are scored from where the last run stopped (a \
        per-series watermark, and the detector state saved every few dozen points: the points since are \
        replayed without being reported again), so a cron job never reports the same point twice.

        Events are recorded in the database unless --no-store. --emit scores prints the NAB results format \
        instead: CSV timestamp,value,anomaly_score with one row per input row in input order (a series column \
        is added when there are several series; NaN rows are kept and scored as gaps). A NAB file streams: \
        rows are written while it is read, in flat memory, and a malformed row ends the output there (exit 65).
        """,
        options: [
            .value("detector", short: "d", "NAME[,NAME]", repeatable: true,
                   "run these detectors instead of the default ensemble (see `aurora detect --list-detectors`)").completing(.detectors),
            .flag("list-detectors", "list the available detectors and exit"),
            .value("emit", "WHAT", kind: .choice(["events", "scores"]), default: "events",
                   "events (a table, --json or --jsonl) or scores (CSV, one row per input point)"),
            .flag("jsonl", "print one JSON event per line"),
            .flag("exit-code", short: "e", "exit 1 when any anomaly event was found (at or above --min-confidence)"),
            .value("min-confidence", "P", kind: .number,
                   "report only events at least P likely to mark a real fault (0–1; events are still recorded)"),
            .flag("no-store", "do not record events or advance watermarks in the database"),
        ] + MetricInputs.options,
        arguments: [ArgumentSpec("FILE", kind: .file, optional: true, variadic: true,
                                 "metric dumps, directories, or - for standard input (default: stored series)")],
        examples: [
            "aurora detect metrics.csv",
            "zcat dump.jsonl.gz | aurora detect --jsonl -",
            "aurora detect --detector zscore --emit scores nab/realTweets/Twitter_volume_AAPL.csv",
            "aurora detect --exit-code --no-store export/ || page-oncall",
            "aurora detect --exit-code --min-confidence 0.5 --no-store export/ || page-oncall",
        ],
        handler: run)

    static func run(_ context: CommandContext) async throws -> ExitStatus {
        let registry = DetectorRegistry.standard
        if context.arguments.flag("list-detectors") {
            for name in registry.names { context.console.out.line(name) }
            return .success
        }
        let settings = try DetectionSettings(configuration: try context.configuration())
        let floor = try ConfidenceFloor(context)
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
            return try await StoredDetection.run(detection: detection, floor: floor, context: context)
        }
        if emitScores {
            // One output row per input row: a rate has one point fewer and nothing to put on a reset's row.
            if context.arguments.flag("rate") {
                context.note("note: --rate does not apply to --emit scores: every input row is scored as written")
            }
            return try await writeScores(paths, detection: detection, context: context)
        }
        let options = try MetricInputs.ingestOptions(context)
        let sources = try MetricInputs.sources(paths, context: context)
        let result = try ingest(sources, options: options)
        let series = result.series
        MetricInputs.notes(for: result.report, context: context)
        ProgressLine.clear(context)
        let results = try await detection.run(series.map(GapFill.filled))
        let (events, setAside) = EventPresentation.prepare(results.flatMap(\.events), series: series)
        var incidents = EventIncidents()
        if !context.arguments.flag("no-store") {
            let scored = ScoredSeries(detector: storedDetectorKey(detection), series: series, states: results.map(\.state))
            incidents = try record(events, series: series, source: sources.map(\.displayName).joined(separator: ", "),
                                   scored: scored, context: context)
        }
        let (shown, below) = floor.apply(events)
        render(shown, series: series, incidents: incidents, setAside: setAside, context: context)
        floor.note(below: below, recorded: !context.arguments.flag("no-store"), context: context)
        SparseCountNotes.notes(events: shown, series: series, detection: detection, context: context)
        ShortHistoryNotes.notes(events: shown, detection: detection, context: context)
        return context.arguments.flag("exit-code") && !shown.isEmpty ? .findings : .success
    }

    /// Records the events and their series (see `DetectedEvents.record`).
    @discardableResult
    static func record(_ events: [AnomalyEvent], series: [Series], source: String, scored: ScoredSeries? = nil,
                       context: CommandContext) throws -> EventIncidents {
        try DetectedEvents.record(events, series: series, source: source, scored: scored,
                                  serviceLabel: context.arguments.value("service-label") ?? "service", context: try context.operations())
    }

    /// The key under which a plain `aurora detect` keeps its detectors' state and watermark.
    static func storedDetectorKey(_ detection: DetectionRun) -> String {
        "ensemble:" + (detection.detectors ?? detection.settings.ensembleMembers).joined(separator: ",")
    }

    static func render(_ events: [AnomalyEvent], context: CommandContext) {
        render(events, series: [], incidents: EventIncidents(), setAside: 0, context: context)
    }

    static func render(_ events: [AnomalyEvent], series: [Series], incidents: EventIncidents, setAside: Int, context: CommandContext) {
        let out = context.console.out
        if context.arguments.flag("jsonl") {
            for event in events { out.line(EventRendering.json(event).rendered()) }
        } else if context.json {
            out.line(JSONValue.object([("events", .array(events.map(EventRendering.json)))]).rendered())
        } else if events.isEmpty {
            context.note(setAside > 0 ? "no anomalies (\(setAside) set aside: their peak was within the expected range)" : "no anomalies")
        } else {
            // Sparklines only for people at a terminal: in a pipe or a file they are noise.
            let pictures = context.console.out.isTerminal ? Dictionary(series.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a }) : nil
            out.write(EventRendering.table(events, incidents: incidents, series: pictures, style: context.style))
            if !context.quiet {
                context.console.err.line(EventPresentation.summary(events: events, incidents: incidents, setAside: setAside))
            }
        }
    }

    /// `--emit scores`: one NAB file streams (parsed one block ahead on a second thread while the
    /// previous block is scored and written); other inputs are read whole, every series' rows in file
    /// order, and scored in parallel.
    static func writeScores(_ paths: [String], detection: DetectionRun, context: CommandContext) async throws -> ExitStatus {
        var options = try MetricInputs.ingestOptions(context)
        // Rows appear as they are scored: a progress line would only interleave with them.
        options.progress = nil
        let sources = try MetricInputs.sources(paths, context: context)
        let out = context.console.out
        let output = ScoreStream(detection: detection, write: { out.write(bytes: $0) })
        let series: [Series]
        let report: IngestReport
        if sources.count == 1 {
            var started = false
            let delivery = try streamRowsReadingAhead(sources[0], options: options) { block in
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
        let results = try await detection.run(series.map(GapFill.filled))
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
