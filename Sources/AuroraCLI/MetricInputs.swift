import AuroraCore
import AuroraIngest
import Foundation

/// The options every command that reads metric dumps shares (`ingest`, `detect`, `eval`, `diagnose`,
/// `heal`), and how they become ingestion inputs.
enum MetricInputs {
    static let formatNames = MetricFormat.allCases.map(\.rawValue)

    static let options: [OptionSpec] = [
        .value("format", "FORMAT", kind: .choice(formatNames),
               "read every input as this format instead of sniffing its content"),
        .value("match", short: "m", "SELECTOR", repeatable: true,
               "keep only series matching a Prometheus selector, e.g. 'latency{service=~\"check.*\"}'"),
        .value("since", "TIME", kind: .time, "keep only points at or after this time"),
        .value("until", "TIME", kind: .time, "keep only points before this time"),
        .flag("skip-bad-lines", "count and report malformed lines instead of failing on the first"),
        .flag("rate", "turn counters (named …_total, typed counter, or only rising) into per-second rates (resets handled)"),
        .value("columns", "TEMPLATE", "map wide CSV headers to series, e.g. '{service}_{metric}'"),
        .value("service-label", "LABEL", default: "service", "the label that ties a series to a service"),
    ]

    /// Ingestion options from the command line.
    static func ingestOptions(_ context: CommandContext) throws -> IngestOptions {
        let arguments = context.arguments
        let now = context.clock.now()
        var selectors: [SeriesSelector] = []
        for text in arguments.all("match") {
            do {
                selectors.append(try SeriesSelector(parsing: text, origin: "--match"))
            } catch {
                throw UsageError(error.description)
            }
        }
        var options = IngestOptions(
            format: arguments.value("format").flatMap(MetricFormat.init(name:)),
            match: selectors,
            since: try arguments.time("since", now: now)?.unixMilliseconds,
            until: try arguments.time("until", now: now)?.unixMilliseconds,
            skipBadLines: arguments.flag("skip-bad-lines"),
            rate: arguments.flag("rate"),
            columnsTemplate: arguments.value("columns"),
            serviceLabel: arguments.value("service-label") ?? "service")
        if context.console.err.isTerminal && !context.quiet {
            options.progress = ProgressLine.ingest
        }
        return options
    }

    /// Inputs from positional arguments; `-` reads standard input once.
    static func sources(_ paths: [String], context: CommandContext) throws -> [InputSource] {
        var sources: [InputSource] = []
        var readStdin = false
        for path in paths {
            if path == "-" {
                if readStdin { throw UsageError("- (standard input) may be given only once") }
                readStdin = true
                // The real stdin streams in chunks (a large pipe stays within the memory bound); a
                // scripted one (tests) is handed over as bytes.
                if context.console.input is StandardInput {
                    sources.append(.descriptor(name: "<stdin>", 0))
                } else {
                    sources.append(.bytes(name: "<stdin>", try context.console.input.readAll()))
                }
            } else {
                sources.append(.path(context.path(path)))
            }
        }
        return sources
    }

    /// Notes for people about what was skipped or repaired, on stderr.
    /// `rowsKept`: every input row was kept as an output row (`--emit scores`), so NaN/Inf values were
    /// scored as gaps rather than skipped.
    static func notes(for report: IngestReport, context: CommandContext, rowsKept: Bool = false) {
        guard !context.quiet else { return }
        if report.totalNonFinite > 0 {
            context.note(rowsKept
                ? "note: \(report.totalNonFinite) missing or NaN/Inf value(s) kept as rows and scored as gaps"
                : "note: skipped " + Plural.count(report.totalNonFinite, "missing or NaN/Inf value"))
        }
        for (name, files) in report.labelledByFile.sorted(by: { $0.key < $1.key }) {
            context.note("note: \(NameList.text(files)) each hold a series named '\(name)' over the same times: "
                + "told apart by a file label (\(name){file=\"\(files[0])\"}), not merged")
        }
        if report.totalDuplicates > 0 {
            context.note("warning: \(report.totalDuplicates) duplicate timestamp(s); the last value of each was kept")
        }
        for input in report.inputs where input.badLines > 0 {
            context.note("warning: \(input.name): skipped " + Plural.count(input.badLines, "malformed line"))
            for error in input.badLineErrors.prefix(5) { context.note("  \(error.description)") }
        }
        let gappy = report.series.filter { $0.gapCount > 0 }
        if !gappy.isEmpty {
            let total = gappy.reduce(0) { $0 + $1.gapCount }
            context.note("note: \(total) gap(s) in \(gappy.count) series (see `aurora ingest --json` for where)")
        }
        counterNotes(for: report, context: context)
    }

    /// Counter notes listed one by one; beyond this many they are counted, so that an exposition with
    /// hundreds of counters does not bury the output.
    static let listedCounters = 5

    /// One note per counter scored raw, since its climb pages at every change of pace while its rate
    /// is what to watch (as Grafana hints "consider rate()" on a counter); and, under --rate, one per
    /// series rated because of its shape, since nothing in its name or type said it was a counter.
    static func counterNotes(for report: IngestReport, context: CommandContext) {
        let raw = report.series.filter { $0.counter != nil && !$0.isRate }
        for series in raw.prefix(listedCounters) {
            let name = TerminalText.safe(series.key.description)
            context.note(series.counter == .shape
                ? "note: '\(name)' only rises (a cumulative counter?): its rate is what to watch; pass --rate"
                : "note: '\(name)' is a counter: its rate is what to watch; pass --rate")
        }
        if raw.count > listedCounters {
            context.note("note: \(raw.count - listedCounters) more series are counters scored raw; pass --rate")
        }
        let ratedByShape = report.series.filter { $0.counter == .shape && $0.isRate }
        for series in ratedByShape.prefix(listedCounters) {
            let resets = series.counterResets > 0 ? ", " + Plural.count(series.counterResets, "reset") : ""
            let counter = TerminalText.safe(RatedSeries.counter(of: series.key).description)
            context.note("note: '\(counter)' rated as a counter because it only rises\(resets): its rate is '\(TerminalText.safe(series.key.description))'")
        }
        if ratedByShape.count > listedCounters {
            context.note("note: \(ratedByShape.count - listedCounters) more series rated as counters because they only rise")
        }
    }

    /// The same notes for `aurora detect` of stored series, which reads no file and so has no report:
    /// a stored series is a counter scored raw when its name says so (`…_total`) or the points just
    /// scored have a counter's shape, unless it is itself a rate (`…:rate`). Its rate is stored by
    /// ingesting it again with --rate. A pass of fewer points than a shape needs (a cron job's few
    /// new points) says nothing, so that the note comes with a first pass and not with every one.
    static func storedCounterNotes(_ series: [Series], context: CommandContext) {
        let raw = series.filter { item in
            item.values.count >= CounterShape.minimumPoints && !item.key.name.hasSuffix(RatedSeries.suffix)
                && (CounterName.declares(item.key.name) || CounterShape.verdict(item.values) == .cumulative)
        }
        for item in raw.prefix(listedCounters) {
            let name = TerminalText.safe(item.key.description)
            let rate = TerminalText.safe(RatedSeries.key(of: item.key).description)
            context.note("note: '\(name)' is a counter scored raw: its rate is what to watch; `aurora ingest --rate` stores it as '\(rate)'")
        }
        if raw.count > listedCounters {
            context.note("note: \(raw.count - listedCounters) more stored series are counters scored raw; see COUNTERS in aurora(1)")
        }
    }
}

/// A progress line on a terminal's stderr, overwritten in place.
enum ProgressLine {
    @Sendable static func ingest(_ progress: IngestProgress) {
        let megabytes = Double(progress.bytesRead) / 1_048_576
        let line = "\r\u{1B}[Kreading \(TerminalText.safe(progress.input)): \(String(format: "%.0f", megabytes)) MiB"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func clear(_ context: CommandContext) {
        if context.console.err.isTerminal && !context.quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
