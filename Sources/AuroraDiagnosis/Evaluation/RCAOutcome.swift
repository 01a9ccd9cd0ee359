/// What a diagnosis said about one case with a known root cause, for scoring.
package struct RCAOutcome: Sendable, Equatable {
    /// The case's name.
    package var id: String
    /// Groups the case belongs to, as (dimension, value): `("system", "train-ticket")`.
    package var groups: [RCAGroup]
    /// The right answer (more than one when several services were faulted).
    package var roots: [String]
    /// Services, most likely first, as the diagnosis ranked them.
    package var ranking: [String]
    /// The top candidate's confidence (0 when there was none).
    package var confidence: Double
    /// The evidence of the top candidate, as the confidence model saw it (nil without a candidate).
    package var inputs: ConfidenceModel.Inputs?
    /// Why the case has no answer (it counts as a miss), when it has none.
    package var failure: String?
    /// Ranking scores of the first services, in ranking order (for studying the competition between candidates).
    package var scores: [Double] = []
    /// The top candidate's key metric and its role (`cpu`, `latency`, `other` …), when it has one.
    package var keyMetric: String?
    package var keyRole: String?

    /// Creates the value from its parts.
    package init(
        id: String, groups: [RCAGroup], roots: [String], ranking: [String], confidence: Double,
        inputs: ConfidenceModel.Inputs? = nil, failure: String? = nil
    ) {
        self.id = id
        self.groups = groups
        self.roots = roots
        self.ranking = ranking
        self.confidence = confidence
        self.inputs = inputs
        self.failure = failure
    }

    /// 1-based rank of the first right service, nil when it is not ranked.
    package var hitRank: Int? {
        ranking.firstIndex { roots.contains($0) }.map { $0 + 1 }
    }

    /// Whether the top candidate is right.
    package var topIsRight: Bool { hitRank == 1 }
}

/// One grouping of a case (`fault_type = cpu_contention`).
package struct RCAGroup: Sendable, Hashable, Comparable {
    /// What the grouping is by (`system`, `fault_type`, `system/fault_type`).
    package var dimension: String
    /// The case's value in it.
    package var value: String

    /// Creates the value from its parts.
    package init(_ dimension: String, _ value: String) {
        self.dimension = dimension
        self.value = value
    }

    /// Ordering for tables: by dimension, then value.
    package static func < (lhs: RCAGroup, rhs: RCAGroup) -> Bool {
        (lhs.dimension, lhs.value) < (rhs.dimension, rhs.value)
    }
}
