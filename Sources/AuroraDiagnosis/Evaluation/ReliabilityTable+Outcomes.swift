import AuroraCore

extension ReliabilityTable {
    /// From scored cases: each case's top confidence against whether its top candidate was right.
    package init(_ outcomes: [RCAOutcome], edges: [Double] = ReliabilityTable.tierEdges) {
        self.init(outcomes.map { ($0.confidence, $0.topIsRight) }, edges: edges)
    }
}
