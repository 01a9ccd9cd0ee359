import AuroraCore
import AuroraPrometheus

/// `aurora ingest --prometheus`'s reading of a window: in rounds, each asking every query for its next
/// sub-window within one shared answer budget (`SubWindowPlan`, as `aurora watch` catches up), each
/// round handed to `store` — its own transaction — before the next is asked. Memory stays within one
/// round however long the window, and a failure half-way keeps the rounds already stored.
package struct RangeIngest {
    /// One round's answers, to be stored.
    package struct Round: Sendable {
        /// 1 for the first round.
        package var number: Int
        /// Rounds read so far plus those still to read, as estimated now.
        package var estimatedTotal: Int
        /// From the earliest to the latest point asked for this round (Unix milliseconds).
        package var window: ClosedRange<Int64>
        /// Every query's series of this round.
        package var series: [Series]
        /// One report per query asked this round.
        package var queries: [PrometheusPull.QueryReport]

        /// Finite points read this round.
        package var points: Int { queries.reduce(0) { $0 + $1.points } }
    }

    /// A query failed: the rounds before were stored, this one was not.
    package struct Failure: Error, Sendable {
        /// The failure that decides the exit status (a refused query before an unreachable server).
        package var error: PrometheusError
        /// The other queries' failures in the same round.
        package var others: [PrometheusError]
        /// The failing round's window (Unix milliseconds).
        package var window: ClosedRange<Int64>
        /// Rounds stored before it.
        package var roundsStored: Int
        /// Where an ingest that finishes the job starts: no query has anything stored after this.
        package var resumeFrom: Int64
    }

    package let pull: PrometheusPull
    /// Points one round's answers are planned to hold together.
    package var pointBudget = PrometheusClient.answerPointBudget

    package init(pull: PrometheusPull) {
        self.pull = pull
    }

    /// Reads every query over `window` and hands each round to `store`; returns one report per query,
    /// its rounds merged. Throws `Failure` when a query fails (what `store` throws is passed on).
    package func run(window: ClosedRange<Int64>, store: (Round) throws -> Void) async throws -> [PrometheusPull.QueryReport] {
        let step = pull.source.stepMilliseconds
        var remaining: [Int: ClosedRange<Int64>] = [:]
        for index in pull.source.queries.indices { remaining[index] = window }
        var seriesCounts: [Int: Int] = [:]
        var merged: [Int: PrometheusPull.QueryReport] = [:]
        var number = 0
        while !remaining.isEmpty {
            let demands = remaining.map { index, window in
                SubWindowPlan.Demand(index: index, window: window, series: seriesCounts[index] ?? LiveIngest.assumedSeries)
            }
            let next = SubWindowPlan.round(demands, budget: pointBudget, step: step)
            let asked = (next.values.map(\.lowerBound).min() ?? window.lowerBound)...(next.values.map(\.upperBound).max() ?? window.upperBound)
            let result = await pull.fetch(only: next)
            let errors = result.errors
            if let failure = errors.first(where: \.isQueryFault) ?? errors.first {
                throw Failure(error: failure, others: errors.filter { $0 != failure }, window: asked, roundsStored: number,
                              resumeFrom: remaining.values.map(\.lowerBound).min() ?? window.lowerBound)
            }
            for report in result.queries {
                seriesCounts[report.index] = report.series
                merged[report.index] = merged[report.index].map { $0.merged(with: report) } ?? report
                guard let rest = remaining[report.index], report.window.upperBound < rest.upperBound,
                      let last = PrometheusClient.windows(start: report.window.lowerBound, end: report.window.upperBound, step: step).last
                else {
                    remaining[report.index] = nil
                    continue
                }
                remaining[report.index] = (last.upperBound + step)...rest.upperBound
            }
            number += 1
            let left = remaining.map { index, window in
                SubWindowPlan.roundsLeft(SubWindowPlan.Demand(index: index, window: window, series: seriesCounts[index] ?? 0),
                                         behind: remaining.count, budget: pointBudget, step: step)
            }.max() ?? 0
            try store(Round(number: number, estimatedTotal: number + left, window: asked, series: result.series, queries: result.queries))
        }
        return merged.sorted { $0.key < $1.key }.map(\.value)
    }
}

extension PrometheusPull.QueryReport {
    /// This report and that of the query's next sub-window as one (series are stored, not kept).
    func merged(with later: PrometheusPull.QueryReport) -> PrometheusPull.QueryReport {
        var report = later
        report.window = window.lowerBound...later.window.upperBound
        report.series = max(series, later.series)
        report.points += points
        report.nonFinite += nonFinite
        report.warnings = warnings + later.warnings.filter { !warnings.contains($0) }
        report.seriesKeys = []
        return report
    }
}
