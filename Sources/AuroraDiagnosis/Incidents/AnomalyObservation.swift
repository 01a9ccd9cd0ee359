import AuroraCore

/// One anomaly a detector reported on one series: the input of incident grouping.
///
/// A minimal stand-in for the detection module's event type; the fields are what grouping and
/// diagnosis need. Times are Unix milliseconds.
public struct AnomalyObservation: Sendable, Equatable {
    public var key: SeriesKey
    public var start: Int64
    public var end: Int64
    /// The most extreme value seen during the anomaly.
    public var peak: Double
    /// The detector's score in [0, 1].
    public var score: Double
    public var direction: ChangeDirection

    public init(key: SeriesKey, start: Int64, end: Int64, peak: Double, score: Double, direction: ChangeDirection) {
        self.key = key
        self.start = start
        self.end = max(start, end)
        self.peak = peak
        self.score = score
        self.direction = direction
    }
}
