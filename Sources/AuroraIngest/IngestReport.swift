import AuroraCore

/// A stretch where points are missing: more than 1.5 inferred steps between two points.
public struct SeriesGap: Sendable, Equatable {
    /// The last point before the gap (Unix ms).
    public var after: Int64
    /// The first point after the gap (Unix ms).
    public var before: Int64
    /// How many points at the inferred step would fill the gap.
    public var missingPoints: Int

    /// A gap between two points.
    public init(after: Int64, before: Int64, missingPoints: Int) {
        self.after = after
        self.before = before
        self.missingPoints = missingPoints
    }
}

/// What was read for one series, for the ingest summary.
public struct SeriesReport: Sendable, Equatable {
    /// The series identity.
    public var key: SeriesKey
    /// The value of the service label, when the series carries it.
    public var service: String?
    /// Points kept.
    public var points: Int
    /// NaN and ±Inf values skipped (never stored as numbers).
    public var skippedNonFinite: Int
    /// Points outside `since`/`until`.
    public var skippedOutsideWindow: Int
    /// Points that repeated an earlier timestamp; the last value written was kept.
    public var duplicates: Int
    /// Whether points arrived out of order and were sorted.
    public var wasSorted: Bool
    /// Whether values were turned into per-second rates.
    public var isRate: Bool
    /// Counter resets seen while computing rates.
    public var counterResets: Int
    /// Inferred step (median spacing) in ms, nil with fewer than two points.
    public var step: Int64?
    /// First kept timestamp (Unix ms).
    public var first: Int64?
    /// Last kept timestamp (Unix ms).
    public var last: Int64?
    /// Number of gaps found.
    public var gapCount: Int
    /// The first gaps (at most `SeriesReport.keptGaps`), in time order.
    public var gaps: [SeriesGap]
    /// Inputs the series' points came from, in reading order.
    public var inputs: [String]

    /// Gaps listed verbatim per series; more are only counted.
    public static let keptGaps = 50
}

/// What was read from one input.
public struct InputReport: Sendable, Equatable {
    /// The name shown in messages (path or `<stdin>`).
    public var name: String
    /// The format used (sniffed or forced).
    public var format: MetricFormat
    /// Bytes read.
    public var bytes: Int
    /// Lines read (for JSON documents, lines of the document).
    public var lines: Int
    /// Points read from this input (before dedupe, after the window and selectors).
    public var points: Int
    /// NaN/±Inf values skipped.
    public var skippedNonFinite: Int
    /// Malformed lines skipped under `skipBadLines`.
    public var badLines: Int
    /// The first bad-line errors, verbatim.
    public var badLineErrors: [LocatedError]
    /// Values that were not numbers by design (InfluxDB string fields), skipped.
    public var skippedNonNumeric: Int
}

/// The summary of an ingestion: per input and per series.
public struct IngestReport: Sendable, Equatable {
    /// One entry per input file, in reading order.
    public var inputs: [InputReport]
    /// One entry per kept series, sorted by key.
    public var series: [SeriesReport]
    /// Series seen but not selected by `--match`.
    public var unmatchedSeries: Int

    /// Points kept over all series.
    public var totalPoints: Int { series.reduce(0) { $0 + $1.points } }
    /// Bad lines skipped over all inputs.
    public var totalBadLines: Int { inputs.reduce(0) { $0 + $1.badLines } }
    /// Non-finite values skipped over all inputs.
    public var totalNonFinite: Int { inputs.reduce(0) { $0 + $1.skippedNonFinite } }
    /// Duplicate timestamps over all series.
    public var totalDuplicates: Int { series.reduce(0) { $0 + $1.duplicates } }
}

/// Series read and the report describing them.
public struct IngestResult: Sendable {
    /// Series sorted by key; points sorted by time with unique timestamps (unless `keepFileOrder`).
    public var series: [Series]
    /// What was read, skipped and found.
    public var report: IngestReport
}
