/// The smallest spread a series' history may be given, so that a tiny move on a flat, quantised or
/// idle series is not an outlier.
///
/// Three floors, the largest wins: the **resolution** of the history (the smallest step between its
/// distinct values: a counter of whole numbers cannot move by less than 1); a **relative** floor, a share
/// of the level per role (memory that moves 0.3 % has not changed; latency jitters by a tenth); and an
/// **absolute** floor from the unit the name declares (half a percentage point of CPU, a millisecond of
/// latency), which keeps an idle service at 0.002 % CPU from turning a blip into z 10 000.
package struct SpreadFloor: Sendable, Equatable {
    /// Share of |median| per role.
    package var relative: [MetricRole: Double]
    /// Floor per declared unit, in that unit.
    package var absolute: [MetricUnit: Double]

    /// The defaults: shares of the level that are normal jitter for each role (memory moves least
    /// between samples, latency most), and the smallest meaningful step of each unit.
    package init(
        relative: [MetricRole: Double] = [.cpu: 0.05, .memory: 0.02, .latency: 0.05, .errors: 0.05, .saturation: 0.05,
                                          .load: 0.05, .disk: 0.01, .host: 0.05, .other: 0.02],
        absolute: [MetricUnit: Double] = [.percent: 0.5, .ratio: 0.005, .seconds: 0.001, .milliseconds: 1]
    ) {
        self.relative = relative
        self.absolute = absolute
    }

    /// The floor for a series of `identity` whose history has this median and resolution.
    package func floor(for identity: SeriesIdentity, median: Double, resolution: Double) -> Double {
        let share = relative[identity.role] ?? 0.02
        return max(resolution, share * abs(median), absolute[identity.unit] ?? 0, 1e-9)
    }

    /// The smallest positive gap between distinct values of `sorted` (0 when all are equal).
    static func resolution(sorted: UnsafeMutableBufferPointer<Double>) -> Double {
        var smallest = Double.infinity
        var index = 1
        while index < sorted.count {
            let gap = sorted[index] - sorted[index - 1]
            if gap > 0 && gap < smallest { smallest = gap }
            index += 1
        }
        return smallest.isFinite ? smallest : 0
    }
}
