import AuroraCore

/// One anomaly as an operator sees it: a run of anomalous points of one series, with its peak, what
/// the series was expected to do, and which detectors voted for it.
package struct AnomalyEvent: Sendable, Equatable {
    /// The series.
    package var series: SeriesKey
    /// Timestamp (Unix ms) of the first anomalous point.
    package var start: Int64
    /// Timestamp of the last anomalous point.
    package var end: Int64
    /// Timestamp of the point with the highest score.
    package var peakTimestamp: Int64
    /// Value at the peak.
    package var peakValue: Double
    /// Expected range (low, high) before the event began, from the points judged normal.
    package var expectedLow: Double
    /// Upper end of the expected range.
    package var expectedHigh: Double
    /// Highest ensemble score in the event, in [0, 1].
    package var score: Double
    /// The probability that the event marks a real fault, fitted on labelled outcomes from its peak
    /// statistical score (`EventConfidence`); nil when only configured rules voted, whose verdict is the
    /// operator's own and was not fitted.
    package var confidence: Double? { statisticalPeak.map { EventConfidence.fitted.probability(peakScore: $0) } }
    /// Highest share of the statistical members' weight that agreed on a point, in [0, 1] (1 when a
    /// decisive member fired): how unanimous the ensemble was, not how likely the event is to be real.
    package var agreement: Double
    /// Highest statistical score (the members' weighted, novelty-weighed mean, before damping) on the
    /// event's anomalous points, in [0, 1]; nil when only configured rules voted.
    package var statisticalPeak: Double?
    /// Names of the detectors and rules that voted on at least one point, in configuration order.
    package var detectors: [String]
    /// The highest severity among the rules that fired, nil when only statistical detectors voted.
    package var severity: Severity?
    /// The service named by the first rule that fired, nil when no rule fired.
    package var service: String?
    /// Number of anomalous points in the event.
    package var pointCount: Int
    /// True when the input ended while the event was still going on; a later run continuing from
    /// the saved state reports it again with the same start and a later end.
    package var ongoing: Bool
    /// Points of the series the detectors had seen before the event began, nil where unknown (events
    /// read back from the database, or built elsewhere).
    package var historyPoints: Int?
    /// True when that history was shorter than the ensemble's memory (its novelty horizon): the
    /// series' routine extremes were not known yet. On real series with no incident, events are
    /// several times as common then as later (docs/detection-experiments.md), so they are leads to
    /// weigh, not established anomalies. Always false for an event only configured rules raised: a
    /// rule does not learn the series.
    package var shortHistory: Bool

    /// An event (normally built by the coalescer).
    package init(
        series: SeriesKey, start: Int64, end: Int64, peakTimestamp: Int64, peakValue: Double,
        expectedLow: Double, expectedHigh: Double, score: Double, agreement: Double = 1, statisticalPeak: Double? = nil, detectors: [String],
        severity: Severity? = nil, service: String? = nil, pointCount: Int, ongoing: Bool = false,
        historyPoints: Int? = nil, shortHistory: Bool = false
    ) {
        self.series = series
        self.start = start
        self.end = end
        self.peakTimestamp = peakTimestamp
        self.peakValue = peakValue
        self.expectedLow = expectedLow
        self.expectedHigh = expectedHigh
        self.score = score
        self.agreement = agreement
        self.statisticalPeak = statisticalPeak
        self.detectors = detectors
        self.severity = severity
        self.service = service
        self.pointCount = pointCount
        self.ongoing = ongoing
        self.historyPoints = historyPoints
        self.shortHistory = shortHistory
    }
}
