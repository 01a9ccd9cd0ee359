import AuroraCore

/// One anomaly a detector reported on one series: what an incident, as diagnosis reads it, is made of.
///
/// A minimal stand-in for the detection module's event type; the fields are what diagnosis needs.
/// Times are Unix milliseconds.
package struct AnomalyObservation: Sendable, Equatable {
    /// The series.
    package var key: SeriesKey
    /// First instant, Unix milliseconds.
    package var start: Int64
    /// Last instant, Unix milliseconds.
    package var end: Int64
    /// The most extreme value seen during the anomaly.
    package var peak: Double
    /// The detector's score in [0, 1].
    package var score: Double
    /// Which way it moved.
    package var direction: ChangeDirection

    /// An anomaly on `key` from `start` to `end` (Unix ms); `end` is at least `start`.
    package init(key: SeriesKey, start: Int64, end: Int64, peak: Double, score: Double, direction: ChangeDirection) {
        self.key = key
        self.start = start
        self.end = max(start, end)
        self.peak = peak
        self.score = score
        self.direction = direction
    }
}
