import AuroraCore

/// Novelty for a deviation that lasts, per ensemble member.
///
/// Novelty compares a point's deviation with the largest single deviation seen lately, so on a
/// series with big one-point spikes (CPU utilisation, request counts) a level shift smaller than the
/// spikes is routine, however long it lasts: the member sees it and the yardstick of spikes hides it.
/// What the spikes never did is *stay*. This keeps a second yardstick, for sustained deviations: a
/// run of points each at least `from` member deviations (1 is the member at its own threshold),
/// lasting at least `span` and `points`, is worth the smallest deviation within it; that is compared
/// with the largest such worth lately, like the point yardstick (and bounded in growth the same way),
/// once per run, at the point it becomes sustained. A series whose excursions usually last (tweet
/// bursts, crash episodes) raises this yardstick as fast as the other and pages as before; a spiky
/// series that shifts pages half an hour in.
struct SustainedDeviation: Sendable, Equatable {
    private var yardstick: RecentMaximum
    /// When the current run of deviations at or beyond `from` began (`Int64.min`: not in one).
    private var runStart = Int64.min
    private var runPoints = 0
    private var runMinimum = 0.0
    /// Whether the current run has had its novelty: a run counts once, at its onset.
    private var reported = false
    /// When the current quiet spell inside a run began (`Int64.min`: none), and its points.
    private var quietStart = Int64.min
    private var quietPoints = 0

    init(horizon: Int) { yardstick = RecentMaximum(horizon: horizon) }

    /// The novelty of the current run for this point (0 when no run has lasted long enough), learning
    /// the point afterwards. `deviation` is the member's finite deviation (an infinite one counts as 0,
    /// as in the point yardstick).
    @inline(__always)
    mutating func novelty(
        _ deviation: Double, at timestamp: Int64,
        from: Double, span: Int64, points: Int, growth: Double, growthFloor: Double
    ) -> Double {
        var sustained = 0.0
        if deviation >= from {
            if runStart == Int64.min {
                runStart = timestamp
                runPoints = 0
                runMinimum = deviation
                reported = false
            }
            runPoints += 1
            runMinimum = min(runMinimum, deviation)
            quietStart = Int64.min
            if runPoints >= points && elapsed(timestamp, since: runStart) >= span { sustained = runMinimum }
        } else if runStart != Int64.min && !reported {
            // A run not yet sustained ends at the first quiet point: scattered deviations (spikes and
            // the odd noisy point between them) must not chain into a run.
            runStart = Int64.min
        } else if runStart != Int64.min {
            // A sustained run ends only after a quiet spell as long as the one that made it: noise
            // dipping below `from` for a point or two is the same shift, not a new one to page for.
            if quietStart == Int64.min {
                quietStart = timestamp
                quietPoints = 0
            }
            quietPoints += 1
            if quietPoints >= points && elapsed(timestamp, since: quietStart) >= span { runStart = Int64.min }
        }
        let largest = yardstick.value
        yardstick.push(growth > 0 ? min(sustained, growth * max(yardstick.settled, growthFloor)) : sustained)
        // Once per run: the onset is what an operator needs; afterwards the point novelty judges the
        // run as before (counting it on every point paged it again after each damping).
        guard sustained > 0, !reported else { return 0 }
        reported = true
        return EnsembleDetector.novelty(sustained, largest: largest)
    }

    func write(to writer: inout StateWriter) {
        yardstick.write(to: &writer)
        writer.write(runStart)
        writer.write(runPoints)
        writer.write(runMinimum)
        writer.write(reported)
        writer.write(quietStart)
        writer.write(quietPoints)
    }

    static func read(from reader: inout StateReader, horizon: Int) throws -> SustainedDeviation {
        var sustained = SustainedDeviation(horizon: horizon)
        sustained.yardstick = try RecentMaximum.read(from: &reader, horizon: horizon)
        sustained.runStart = try reader.readInt64()
        let points = try reader.readInt()
        let minimum = try reader.readDouble()
        guard points >= 0, minimum >= 0, minimum.isFinite else {
            throw DetectionError.stateMismatch(detector: EnsembleDetector.name, reason: "sustained run of \(points) points at \(minimum)")
        }
        sustained.runPoints = points
        sustained.runMinimum = minimum
        sustained.reported = try reader.readBool()
        sustained.quietStart = try reader.readInt64()
        let quiet = try reader.readInt()
        guard quiet >= 0 else {
            throw DetectionError.stateMismatch(detector: EnsembleDetector.name, reason: "sustained run quiet for \(quiet) points")
        }
        sustained.quietPoints = quiet
        return sustained
    }
}
