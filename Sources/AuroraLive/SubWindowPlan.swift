import AuroraPrometheus

/// Plans one round of reading several queries that are behind: the next sub-window of each, sized so
/// that the round's answers *together* hold about `budget` points (series × steps). The budget is
/// shared, not per query, so a round's memory does not grow with the number of queries catching up.
///
/// It is shared by water-filling: the queries whose whole remaining window costs less than an equal
/// share take it whole, and what they leave is split equally among the others. Every query gets at
/// least one step a round, so none starves behind a larger one; a round therefore goes over the budget
/// only when one step of every query is already more than it, which is what a normal pass reads anyway.
package enum SubWindowPlan {
    /// One query's window still to read, and the series it is expected to hold.
    package struct Demand: Sendable, Equatable {
        /// The query's index (its position in the configuration).
        package var index: Int
        /// What is left to read (Unix milliseconds).
        package var window: ClosedRange<Int64>
        /// Series expected in the answer (from the query's latest answer).
        package var series: Int

        package init(index: Int, window: ClosedRange<Int64>, series: Int) {
            self.index = index
            self.window = window
            self.series = series
        }
    }

    /// The window each query asks for this round, by index: the whole rest when it fits its share
    /// (and the 11,000-points-per-series limit), otherwise its first sub-window.
    package static func round(_ demands: [Demand], budget: Int, step: Int64) -> [Int: ClosedRange<Int64>] {
        let costed = demands.map { ($0, steps(in: $0.window, step: step) * Int64(max($0.series, 1))) }
            .sorted { ($0.1, $0.0.index) < ($1.1, $1.0.index) }
        var left = Int64(max(budget, 0))
        var plan: [Int: ClosedRange<Int64>] = [:]
        for (position, (demand, cost)) in costed.enumerated() {
            let share = left / Int64(costed.count - position)
            let allowed = PrometheusClient.stepsPerAnswer(series: demand.series, budget: Int(clamping: share))
            let parts = PrometheusClient.windows(start: demand.window.lowerBound, end: demand.window.upperBound, step: step,
                                                 stepsPerWindow: cost <= share ? PrometheusClient.maximumPointsPerRequest : allowed)
            plan[demand.index] = parts.count > 1 ? parts[0] : demand.window
            let taken = parts.count > 1 ? steps(in: parts[0], step: step) * Int64(max(demand.series, 1)) : cost
            left = max(0, left - taken)
        }
        return plan
    }

    /// Rounds still needed to read `demand` when `behind` queries share `budget` (an estimate: the
    /// progress shown while catching up).
    package static func roundsLeft(_ demand: Demand, behind: Int, budget: Int, step: Int64) -> Int {
        let share = budget / max(behind, 1)
        return PrometheusClient.windows(start: demand.window.lowerBound, end: demand.window.upperBound, step: step,
                                        stepsPerWindow: PrometheusClient.stepsPerAnswer(series: demand.series, budget: share)).count
    }

    /// Steps of `step` milliseconds in `window`, both ends aligned down to the step (as requests are).
    static func steps(in window: ClosedRange<Int64>, step: Int64) -> Int64 {
        guard step > 0 else { return 0 }
        let first = floorDiv(window.lowerBound, step)
        let last = floorDiv(window.upperBound, step)
        return max(0, last - first + 1)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }
}
