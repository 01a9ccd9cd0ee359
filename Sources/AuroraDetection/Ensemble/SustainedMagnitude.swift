import AuroraCore

/// How far a series has stayed from its own normal range, for the ensemble's novelty floor.
///
/// Novelty discounts a deviation that recurs, which is right for bursts a series has again and
/// again and wrong for a crash series that jumps from 20 to 1,500 crashes an hour every few days:
/// each crash is routine to the yardstick, and the seasonal member, whose scale and profiles have
/// learnt the crash level, no longer sees it as large either. What still tells the crash apart is
/// the value itself: far outside the range the series keeps most of the time (the interquartile
/// range of its last 1,000 points, which a state held for a tenth of the time does not move).
/// Held that far for long enough, a deviation is a state the series is in, not a spike, and it keeps
/// its full weight however often it has been seen.
struct SustainedMagnitude: Sendable, Equatable {
    /// Every `sampling`-th value is kept, `window` of them: the range of the last 1,000 points (41
    /// days of hourly data, 3.5 days of 5-minute data) at a quarter of the cost per point; the
    /// quartiles of a regular sample of a span are those of the span closely enough for a floor.
    static let window = 250
    static let sampling = 4
    /// Sampled values needed before the range is trusted (64 points).
    static let minimumPoints = 16

    private var values: SortedWindow
    /// When the current stretch beyond the floor's start began (`Int64.min`: not in one).
    private var farSince = Int64.min
    /// Points since the last one kept.
    private var skipped = 0
    /// The window's median and interquartile range, measured when a value is kept: they change only
    /// then, and three quantiles on every point were a tenth of the voter's cost around a z-score.
    private var median = 0.0
    private var spread = 0.0

    init() { values = SortedWindow(capacity: Self.window) }

    private init(capacity: Int) { values = SortedWindow(capacity: capacity) }

    /// A placeholder without storage, to swap the real one out of the ensemble for its loop.
    static var empty: SustainedMagnitude { SustainedMagnitude(capacity: 0) }

    /// The floor of the novelty weight for this point: 0 below `from` interquartile ranges from the
    /// median (or before the stretch has lasted `hold` milliseconds), rising linearly to 1 at `full`.
    /// Learns the value afterwards.
    @inline(__always)
    mutating func floor(_ value: Double, at timestamp: Int64, from: Double, full: Double, hold: Int64) -> Double {
        guard value.isFinite else { return 0 }
        var result = 0.0
        if values.count >= Self.minimumPoints {
            // A series that is constant most of the time has no range to measure in: no floor.
            let magnitude = spread > 0 ? Swift.abs(value - median) / spread : 0
            if magnitude >= from {
                if farSince == Int64.min { farSince = timestamp }
                if elapsed(timestamp, since: farSince) >= hold {
                    result = full > from ? min(1, (magnitude - from) / (full - from)) : 1
                }
            } else {
                farSince = Int64.min
            }
        }
        skipped += 1
        if skipped == Self.sampling {
            skipped = 0
            values.push(value)
            measureRange()
        }
        return result
    }

    private mutating func measureRange() {
        guard values.count > 0 else { return }
        median = values.quantile(0.5)
        spread = values.quantile(0.75) - values.quantile(0.25)
    }

    func write(to writer: inout StateWriter) {
        values.writeCompact(to: &writer)
        writer.write(farSince)
        writer.write(skipped)
    }

    static func read(from reader: inout StateReader) throws -> SustainedMagnitude {
        var magnitude = SustainedMagnitude()
        magnitude.values = try SortedWindow.readCompact(from: &reader, capacity: Self.window, owner: EnsembleDetector.name)
        magnitude.farSince = try reader.readInt64()
        let skipped = try reader.readInt()
        guard (0..<sampling).contains(skipped) else {
            throw DetectionError.stateMismatch(detector: EnsembleDetector.name, reason: "magnitude sampling phase \(skipped)")
        }
        magnitude.skipped = skipped
        magnitude.measureRange()
        return magnitude
    }
}
