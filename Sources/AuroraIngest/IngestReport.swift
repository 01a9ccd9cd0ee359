import AuroraCore

/// A stretch where points are missing: more than 1.5 inferred steps between two points.
package struct SeriesGap: Sendable, Equatable {
    /// The last point before the gap (Unix ms).
    package var after: Int64
    /// The first point after the gap (Unix ms).
    package var before: Int64
    /// How many points at the inferred step would fill the gap.
    package var missingPoints: Int

    /// A gap between two points.
    package init(after: Int64, before: Int64, missingPoints: Int) {
        self.after = after
        self.before = before
        self.missingPoints = missingPoints
    }
}

/// How a series is known to be a cumulative counter, the kind `--rate` turns into per-second rates.
package enum CounterEvidence: String, Sendable, Equatable {
    /// Its name or type says so: `…_total`, or `# TYPE … counter` (histogram and summary parts too).
    case declared
    /// Its values say so (`CounterShape`): it only rises, apart from rare resets to near zero.
    case shape
}

/// The series `--rate` makes of a counter: `requests` is rated as `requests:rate` (the colon marks a
/// derived series, as in Prometheus' recording-rule names), its labels unchanged.
package enum RatedSeries {
    package static let suffix = ":rate"

    /// The key of the per-second rate of the counter `counter`.
    package static func key(of counter: SeriesKey) -> SeriesKey {
        SeriesKey(name: counter.name + suffix, labels: counter.labels)
    }

    /// The key of the counter whose rate `rate` is.
    package static func counter(of rate: SeriesKey) -> SeriesKey {
        rate.name.hasSuffix(suffix) ? SeriesKey(name: String(rate.name.dropLast(suffix.count)), labels: rate.labels) : rate
    }
}

/// What was read for one series, for the ingest summary.
package struct SeriesReport: Sendable, Equatable {
    /// The series identity.
    package var key: SeriesKey
    /// The value of the service label, when the series carries it.
    package var service: String?
    /// Points kept.
    package var points: Int
    /// NaN and ±Inf values skipped (never stored as numbers).
    package var skippedNonFinite: Int
    /// Points outside `since`/`until`.
    package var skippedOutsideWindow: Int
    /// Points that repeated an earlier timestamp; the last value written was kept.
    package var duplicates: Int
    /// Whether points arrived out of order and were sorted.
    package var wasSorted: Bool
    /// How the series is known to be a cumulative counter; nil for a gauge (as far as can be told).
    package var counter: CounterEvidence?
    /// Whether values were turned into per-second rates.
    package var isRate: Bool
    /// Counter resets seen while computing rates.
    package var counterResets: Int
    /// Inferred step (median spacing) in ms, nil with fewer than two points.
    package var step: Int64?
    /// First kept timestamp (Unix ms).
    package var first: Int64?
    /// Last kept timestamp (Unix ms).
    package var last: Int64?
    /// Number of gaps found.
    package var gapCount: Int
    /// The first gaps (at most `SeriesReport.keptGaps`), in time order.
    package var gaps: [SeriesGap]
    /// Inputs the series' points came from, in reading order.
    package var inputs: [String]

    /// Gaps listed verbatim per series; more are only counted.
    package static let keptGaps = 50
}

/// What was read from one input.
package struct InputReport: Sendable, Equatable {
    /// The name shown in messages (path or `<stdin>`).
    package var name: String
    /// The format used (sniffed or forced).
    package var format: MetricFormat
    /// Bytes read.
    package var bytes: Int
    /// Lines read (for JSON documents, lines of the document).
    package var lines: Int
    /// Points read from this input (before dedupe, after the window and selectors).
    package var points: Int
    /// NaN/±Inf values skipped.
    package var skippedNonFinite: Int
    /// Malformed lines skipped under `skipBadLines`.
    package var badLines: Int
    /// The first bad-line errors, verbatim.
    package var badLineErrors: [LocatedError]
    /// Values that were not numbers by design (InfluxDB string fields), skipped.
    package var skippedNonNumeric: Int
}

/// The summary of an ingestion: per input and per series.
package struct IngestReport: Sendable, Equatable {
    /// One entry per input file, in reading order.
    package var inputs: [InputReport]
    /// One entry per kept series, sorted by key.
    package var series: [SeriesReport]
    /// Series seen but not selected by `--match`.
    package var unmatchedSeries: Int
    /// NAB files of one name holding different series (their times overlap): by that series name, the
    /// `file` label each file's series carries instead of being merged (`SameNamedFiles`).
    package var labelledByFile: [String: [String]] = [:]

    /// Points kept over all series.
    package var totalPoints: Int { series.reduce(0) { $0 + $1.points } }
    /// Bad lines skipped over all inputs.
    package var totalBadLines: Int { inputs.reduce(0) { $0 + $1.badLines } }
    /// Non-finite values skipped over all inputs.
    package var totalNonFinite: Int { inputs.reduce(0) { $0 + $1.skippedNonFinite } }
    /// Duplicate timestamps over all series.
    package var totalDuplicates: Int { series.reduce(0) { $0 + $1.duplicates } }
}

/// Series read and the report describing them.
package struct IngestResult: Sendable {
    /// Series sorted by key; points sorted by time with unique timestamps (unless `keepFileOrder`).
    package var series: [Series]
    /// What was read, skipped and found.
    package var report: IngestReport
}
