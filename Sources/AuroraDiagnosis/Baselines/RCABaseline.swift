/// The published ranking methods `aurora eval-rca --baseline` compares aurora with, on the same cases.
package enum RCABaseline: String, Sendable, CaseIterable {
    /// N-Sigma: the largest (x − mean) / standard deviation of the history (`BaselineRanker.nSigma`).
    case nSigma = "nsigma"
    /// BARO's RobustScorer: (x − median) / IQR of the history.
    case baro
    /// The service whose series first changed.
    case earliestOnset = "earliest-onset"
    /// PetShop-style traversal from the entry services down through changed callees (`GraphTraversalBaseline`).
    case graphWalk = "graph-walk"
    /// MicroRCA-style personalised PageRank over the call graph (`RandomWalkBaseline`).
    case randomWalk = "random-walk"

    /// The case's services, most likely root first.
    package func rankServices(_ item: RCACase) -> [String] {
        switch self {
        case .nSigma: BaselineRanker.nSigma.rankServices(item.series, window: item.window)
        case .baro: BaselineRanker.baro.rankServices(item.series, window: item.window)
        case .earliestOnset: BaselineRanker.earliestOnset.rankServices(item.series, window: item.window)
        case .graphWalk: GraphTraversalBaseline.rankServices(item.series, window: item.window, graph: item.graph)
        case .randomWalk: RandomWalkBaseline.rankServices(item.series, window: item.window, graph: item.graph)
        }
    }
}
