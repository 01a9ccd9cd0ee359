/// One event graded against labelled windows: what its confidence was computed from, what it said,
/// and whether it was right.
package struct EventOutcome: Sendable, Equatable {
    /// The event's peak statistical score.
    package var peakScore: Double
    /// The confidence the event carried.
    package var confidence: Double
    /// True when the event touches a labelled window.
    package var right: Bool

    /// An outcome.
    package init(peakScore: Double, confidence: Double, right: Bool) {
        self.peakScore = peakScore
        self.confidence = confidence
        self.right = right
    }

    /// The statistical events of one labelled file, graded: an event is right when its span touches a
    /// window (the rule `NABEventMetrics` applies to runs of detected rows). Events that begin in NAB's
    /// probationary period are left out, as NAB leaves those rows out: no window may lie there, so they
    /// could only count as wrong. Events raised by rules alone carry no confidence and are left out too.
    package static func grade(_ events: [AnomalyEvent], timestamps: [Int64], windows: [NABWindow]) -> [EventOutcome] {
        let probation = Int(NABScorer.probationaryLength(rows: timestamps.count))
        guard probation < timestamps.count else { return [] }
        let scored = timestamps[probation]
        return events.compactMap { event in
            guard event.start >= scored, let confidence = event.confidence, let peak = event.statisticalPeak else { return nil }
            let right = windows.contains { $0.start <= event.end && event.start <= $0.end }
            return EventOutcome(peakScore: peak, confidence: confidence, right: right)
        }
    }
}
