/// What a diagnosis said about one case with a known root cause, for scoring.
public struct RCAOutcome: Sendable, Equatable {
    /// The case's name.
    public var id: String
    /// Groups the case belongs to, as (dimension, value): `("system", "train-ticket")`.
    public var groups: [RCAGroup]
    /// The right answer (more than one when several services were faulted).
    public var roots: [String]
    /// Services, most likely first, as the diagnosis ranked them.
    public var ranking: [String]
    /// The top candidate's confidence (0 when there was none).
    public var confidence: Double
    /// The evidence of the top candidate, as the confidence model saw it (nil without a candidate).
    public var inputs: ConfidenceModel.Inputs?
    /// Why the case has no answer (it counts as a miss), when it has none.
    public var failure: String?

    /// Creates the value from its parts.
    public init(
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
    public var hitRank: Int? {
        ranking.firstIndex { roots.contains($0) }.map { $0 + 1 }
    }

    /// Whether the top candidate is right.
    public var topIsRight: Bool { hitRank == 1 }
}

/// One grouping of a case (`fault_type = cpu_contention`).
public struct RCAGroup: Sendable, Hashable, Comparable {
    /// What the grouping is by (`system`, `fault_type`, `system/fault_type`).
    public var dimension: String
    /// The case's value in it.
    public var value: String

    /// Creates the value from its parts.
    public init(_ dimension: String, _ value: String) {
        self.dimension = dimension
        self.value = value
    }

    /// Ordering for tables: by dimension, then value.
    public static func < (lhs: RCAGroup, rhs: RCAGroup) -> Bool {
        (lhs.dimension, lhs.value) < (rhs.dimension, rhs.value)
    }
}
