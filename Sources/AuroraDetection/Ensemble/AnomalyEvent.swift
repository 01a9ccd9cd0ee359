import AuroraCore

/// One anomaly as an operator sees it: a run of anomalous points of one series, with its peak, what
/// the series was expected to do, and which detectors voted for it.
public struct AnomalyEvent: Sendable, Equatable {
    /// The series.
    public var series: SeriesKey
    /// Timestamp (Unix ms) of the first anomalous point.
    public var start: Int64
    /// Timestamp of the last anomalous point.
    public var end: Int64
    /// Timestamp of the point with the highest score.
    public var peakTimestamp: Int64
    /// Value at the peak.
    public var peakValue: Double
    /// Expected range (low, high) before the event began, from the points judged normal.
    public var expectedLow: Double
    /// Upper end of the expected range.
    public var expectedHigh: Double
    /// Highest ensemble score in the event, in [0, 1].
    public var score: Double
    /// Highest confidence in the event: the share of the voting weight that agreed, in [0, 1].
    public var confidence: Double
    /// Names of the detectors and rules that voted on at least one point, in configuration order.
    public var detectors: [String]
    /// The highest severity among the rules that fired, nil when only statistical detectors voted.
    public var severity: Severity?
    /// The service named by the first rule that fired, nil when no rule fired.
    public var service: String?
    /// Number of anomalous points in the event.
    public var pointCount: Int
    /// True when the input ended while the event was still going on; a later run continuing from
    /// the saved state reports it again with the same start and a later end.
    public var ongoing: Bool

    /// An event (normally built by the coalescer).
    public init(
        series: SeriesKey, start: Int64, end: Int64, peakTimestamp: Int64, peakValue: Double,
        expectedLow: Double, expectedHigh: Double, score: Double, confidence: Double, detectors: [String],
        severity: Severity? = nil, service: String? = nil, pointCount: Int, ongoing: Bool = false
    ) {
        self.series = series
        self.start = start
        self.end = end
        self.peakTimestamp = peakTimestamp
        self.peakValue = peakValue
        self.expectedLow = expectedLow
        self.expectedHigh = expectedHigh
        self.score = score
        self.confidence = confidence
        self.detectors = detectors
        self.severity = severity
        self.service = service
        self.pointCount = pointCount
        self.ongoing = ongoing
    }
}
