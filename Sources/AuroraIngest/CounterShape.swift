/// Recognises a cumulative counter by the shape of its values alone: a series that only goes up,
/// apart from rare drops to near zero (a restarted process starts its counters again), as a raw
/// `requests` or `bytes_sent` column dumped to CSV without a `_total` name or a `# TYPE` line looks.
/// Scored raw, such a series is one long climb and pages at every change of pace and every reset;
/// its rate (Prometheus' `rate()`) is what carries the signal.
///
/// The rules are strict on purpose: a gauge taken for a counter would be rated into nonsense under
/// `--rate`, while a counter missed only keeps today's behaviour (and `--rate` still rates it when its
/// name or type declares it). Each rule rejects a kind of gauge that otherwise looks similar.
package enum CounterShape {
    /// Why a series is or is not taken for a cumulative counter (the reason serves tests and notes).
    package enum Verdict: Sendable, Equatable {
        /// Only rises, apart from rare resets: a cumulative counter.
        case cumulative
        /// Fewer than `minimumPoints` values: too short to tell a counter from a gauge that happened to rise.
        case tooShort
        /// A negative value: counters count from zero.
        case negative
        /// A decrease that is not a reset: a gauge (noise, a random walk, a disk filling with dips).
        case falls
        /// Resets more often than a restarted process would: a sawtooth gauge (a queue that fills and drains).
        case resetsTooOften
        /// Rises hardly more often than it drops: a level switching between values (a square wave, a 0/1 flag).
        case switchesLevel
        /// Rises at too few steps or in too few parts of the series: a constant, or a gauge stepped up now and then.
        case seldomRises
    }

    /// Ten points at least. With fewer, a short rising stretch of any gauge (a morning's traffic ramp
    /// sampled hourly) passes every other rule by chance.
    package static let minimumPoints = 10

    /// A decrease is a reset only when the value falls below this share of the one before: a restarted
    /// process counts again from zero, so by the next sample it holds only what happened since the
    /// restart, far below the total before it. A gauge's dips (disk usage after a cleanup, a queue
    /// working off a backlog) take off a part, not nearly everything.
    package static let resetBelowShare = 0.5

    /// At most one reset per this many steps: a process restarted every few hours (a deploy cadence)
    /// is about the most a counter sees, 50 steps being about four hours of 5-minute samples; a queue
    /// or buffer that fills and empties many times a day resets far more often.
    package static let minimumStepsPerReset = 50

    /// At least this many rising steps per reset. Between two restarts a counter rises at sample after
    /// sample; a level that switches up and back down (a daily square wave, a 0/1/2 flag) rises about
    /// once per drop, and its drops to the low level pass for resets.
    package static let minimumRisesPerReset = 10

    /// At least this share of the steps must rise. A counter of anything that keeps happening rises at
    /// most samples; an error counter may rise at only one in five. A staircase gauge (a version
    /// number, a "last success" timestamp, replicas scaled up) rises at a handful. A counter of events
    /// rarer than one per 20 samples is missed: its raw staircase and its rate are both sparse.
    package static let minimumRisingStepShare = 0.05

    /// The series is cut into this many parts (fewer when it is shorter) ...
    package static let parts = 10

    /// ... and must rise in at least this share of them. A counter of anything that keeps happening
    /// rises in nearly every tenth of its span; a counter of rare events (errors) may be quiet for a
    /// few. A gauge that was stepped up once or twice (replicas scaled up, a configuration version)
    /// and a constant rise in few or none.
    package static let risingShare = 0.7

    /// The verdict for `values` in time order (sorted, one value per timestamp, all finite).
    /// Exported counters rounded to a few significant digits stay non-decreasing (rounding is a
    /// monotone map), so no tolerance for tiny decreases is needed, and none is allowed: a gauge's
    /// small dips are exactly what tells it apart.
    package static func verdict(_ values: [Double]) -> Verdict {
        let count = values.count
        guard count >= minimumPoints else { return .tooShort }
        let steps = count - 1
        let partCount = min(parts, steps)
        var partRose = [Bool](repeating: false, count: partCount)
        var resets = 0
        var risingSteps = 0
        guard values[0] >= 0 else { return .negative }
        for index in 1..<count {
            let (previous, value) = (values[index - 1], values[index])
            guard value >= 0 else { return .negative }
            var increase = value - previous
            if increase < 0 {
                guard value < previous * resetBelowShare else { return .falls }
                resets += 1
                // As Prometheus' rate() counts it: after a reset the new value is all new increase.
                increase = value
            }
            // Steps 1...steps spread evenly over the parts.
            if increase > 0 {
                risingSteps += 1
                partRose[(index - 1) * partCount / steps] = true
            }
        }
        if resets * minimumStepsPerReset > steps { return .resetsTooOften }
        if risingSteps < resets * minimumRisesPerReset { return .switchesLevel }
        guard Double(risingSteps) >= minimumRisingStepShare * Double(steps) else { return .seldomRises }
        let risingParts = partRose.filter { $0 }.count
        guard Double(risingParts) >= risingShare * Double(partCount) else { return .seldomRises }
        return .cumulative
    }
}
